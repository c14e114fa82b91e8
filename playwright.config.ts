import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';

// The e2e suite drives the demo page (`npm start`) against a real local object store,
// on ports of its own so it can run beside a developer's `npm start`.
const storePort = process.env.E2E_STORE_PORT ?? '8797';
const demoPort = process.env.E2E_DEMO_PORT ?? '5197';
const storeDir = '.cache/e2e-store';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${demoPort}/`,
    launchOptions: await chromiumLaunchOptions(),
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -rf ${storeDir} && node scripts/start.mjs`,
    url: `http://127.0.0.1:${demoPort}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      STORE_PORT: storePort,
      DEMO_PORT: demoPort,
      STORE_DIR: storeDir,
      // The packed-package test serves a consumer app on this origin.
      STORE_FLAGS: `--cors-origin http://127.0.0.1:${process.env.E2E_CONSUMER_PORT ?? '5198'}`,
    },
  },
});
