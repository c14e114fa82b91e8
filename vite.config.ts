/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { chromiumArgs, chromiumExecutable } from './scripts/chromium.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const executablePath = chromiumExecutable();

/** The package's own subpath imports, resolved to source for the demo, stories and tests. */
const sourceAliases = [
  { find: /^objectdrop$/, replacement: here('src/core/index.ts') },
  { find: /^objectdrop\/react$/, replacement: here('src/react/index.ts') },
  { find: /^objectdrop\/testing$/, replacement: here('src/testing/index.ts') },
  { find: /^objectdrop\/forge$/, replacement: here('src/adapters/forge.ts') },
  { find: /^objectdrop\/react\/styles\.css$/, replacement: here('src/react/styles.css') },
];

const browserEntries = {
  index: here('src/core/index.ts'),
  react: here('src/react/index.ts'),
  testing: here('src/testing/index.ts'),
  forge: here('src/adapters/forge.ts'),
};
const nodeEntries = {
  server: here('src/server/index.ts'),
  cli: here('src/server/cli.ts'),
};

// One file, four jobs: `npm start` serves the demo (OBJECTDROP_DEMO), scripts/build.mjs builds
// the library (OBJECTDROP_LIB_BUILD = browser | node), vitest runs the tests, Storybook reuses
// the plugins and aliases.
const libBuild = process.env.OBJECTDROP_LIB_BUILD;

/**
 * A consuming app's Vite turns assets under 4 kB into `data:` URLs, the OPFS writer worker included: a
 * `data:` worker has an opaque origin (no OPFS) and is refused by CSPs that allow the page's own workers.
 * `?no-inline` keeps every worker a file of its own there; other bundlers and servers ignore the query.
 */
const workersStayFiles: Plugin = {
  name: 'objectdrop:workers-stay-files',
  apply: 'build',
  enforce: 'post',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle))
      if (chunk.type === 'chunk')
        chunk.code = chunk.code.replace(/(new URL\("assets\/[\w.-]+\.worker-[\w-]+\.js)"/g, '$1?no-inline"');
  },
};

function libraryBuild(): UserConfig['build'] {
  if (!libBuild) return undefined;
  const node = libBuild === 'node';
  return {
    outDir: here('dist'),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    target: node ? 'node20' : 'es2022',
    ssr: node,
    lib: { entry: node ? nodeEntries : browserEntries, formats: ['es'] },
    rolldownOptions: {
      external: [
        /^react($|\/)/,
        /^react-dom($|\/)/,
        /^@tanstack\//,
        /^@forge\//,
        /^@aws-sdk\//,
        /^hash-wasm($|\/)/,
        /^node:/,
      ],
    },
  };
}

export default defineConfig({
  plugins: libBuild === 'browser' ? [react(), workersStayFiles] : [react()],
  root: process.env.OBJECTDROP_DEMO ? here('demo') : undefined,
  // Relative asset URLs: the checksum worker is resolved against the module that loads it,
  // so it still loads when an app bundles the package from node_modules.
  base: './',
  resolve: { alias: libBuild ? [] : sourceAliases },
  server: { host: '127.0.0.1', port: Number(process.env.DEMO_PORT ?? 5173), strictPort: true },
  worker: { format: 'es' },
  build: libraryBuild(),
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
          // One file at a time: several files' large in-page Blobs at once (300 MiB hashing, 320 MiB
          // downloads) overrun Chromium's blob storage, which then fails reads with NotReadableError.
          fileParallelism: false,
          globalSetup: ['src/testing/vitest-global-setup.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            // Another run (a second checkout, `npm test` beside a focused run) may hold the default port.
            api: { port: 63315, strictPort: false },
            provider: playwright({
              launchOptions: { ...(executablePath ? { executablePath } : {}), args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
