/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vite';
import { chromiumArgs, chromiumExecutable } from './scripts/chromium';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const executablePath = chromiumExecutable();

// Three jobs share this file: `vite` serves the demo (demo/), `vite build` builds the browser
// entries of the library (scripts/build.mjs adds the Node entries), `vitest` runs the tests.
export default defineConfig(({ command }) => ({
  plugins: [react()],
  root: command === 'serve' && !process.env.VITEST ? here('demo') : undefined,
  // Relative asset URLs: the checksum worker is resolved against the module that loads it,
  // so it still loads when an app bundles the package from node_modules.
  base: './',
  server: { host: '127.0.0.1', port: Number(process.env.DEMO_PORT ?? 5173), strictPort: true },
  worker: { format: 'es' as const },
  build: {
    outDir: here('dist'),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    lib: {
      entry: {
        index: here('src/core/index.ts'),
        react: here('src/react/index.ts'),
        testing: here('src/testing/index.ts'),
      },
      formats: ['es' as const],
    },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^hash-wasm($|\/)/, /^node:/],
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: ['src/**/*.browser.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.{ts,tsx}'],
          globalSetup: ['src/testing/vitest-global-setup.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { ...(executablePath ? { executablePath } : {}), args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' as const }],
          },
        },
      },
    ],
  },
}));
