import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

// The browser tests of upload, ranged download and delete run a second time with the same
// HTTP handler backed by the S3 store on a real Ceph RADOS Gateway: the browser side is unchanged.
const storePort = process.env.E2E_STORE_PORT ?? '8796';
const demoPort = process.env.E2E_DEMO_PORT ?? '5196';
// Test workers load this file too: e2e/helpers.ts reads the store's port from here.
process.env.E2E_STORE_PORT = storePort;

export default defineConfig({
  ...base,
  // Tests tagged @any-store: they need no fault injected into the data path (the bytes go to S3).
  grep: /@any-store/,
  testIgnore: ['package.spec.ts'],
  use: { ...base.use, baseURL: `http://127.0.0.1:${demoPort}/` },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://127.0.0.1:${demoPort}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: { STORE: 's3', STORE_PORT: storePort, DEMO_PORT: demoPort, E2E_STORE_PORT: storePort },
  },
});
