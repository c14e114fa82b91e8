// `npm run size`: what objectdrop + objectdrop/react weigh in a consuming app. Builds the package,
// then builds two tiny apps against dist/ (as node_modules would give it) with Vite: minified,
// tree-shaken, React and React Query left out (the app has them anyway). Prints gzip sizes of the
// app's JavaScript without the checksum worker, and of the worker asset, against their targets.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.cache/size');
const TARGET_BUNDLE = 15_000;
const TARGET_WORKER = 25_000;

const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const apps = {
  // Every export of both entries kept: the upper bound, printed for reference.
  'whole public API': `
import * as core from 'objectdrop';
import * as react from 'objectdrop/react';
globalThis.objectdrop = { core, react };`,
  // What the README's quick start uses: the figure checked against the target.
  'typical app (provider, drop zone, list, download button, hooks)': `
import { createHttpBackend } from 'objectdrop';
import { DownloadButton, DropZone, ObjectStoreProvider, UploadList, useObjectMetadata, useUpload } from 'objectdrop/react';
globalThis.objectdrop = { createHttpBackend, DownloadButton, DropZone, ObjectStoreProvider, UploadList, useObjectMetadata, useUpload };`,
};

const gzip = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const verdict = (bytes, target) => (bytes <= target ? 'ok' : 'OVER TARGET');

rmSync(work, { recursive: true, force: true });
let over = false;
let worker = 0;
const runs = Object.entries(apps).map(([label, source]) => ({ label, source }));
for (const [index, { label, source }] of runs.entries()) {
  const checked = label.startsWith('typical app');
  const dir = join(work, String(index));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.js'), source);
  await build({
    configFile: false,
    root: dir,
    logLevel: 'warn',
    resolve: {
      // The package's own exports map, pointed at dist/ as an installed copy would be.
      alias: [
        { find: /^objectdrop$/, replacement: join(root, 'dist/index.js') },
        { find: /^objectdrop\/react$/, replacement: join(root, 'dist/react.js') },
      ],
    },
    build: {
      outDir: join(dir, 'out'),
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      modulePreload: false,
      manifest: true,
      rolldownOptions: {
        input: join(dir, 'entry.js'),
        external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//],
        // Importing every export keeps the static re-exports of the lazily loaded engine (the download task,
        // `computeChecksum`) beside their dynamic imports: expected for this upper bound, noise in the log.
        // The typical app keeps the warning, where it would mean a lazy chunk had become an up-front one.
        onwarn(warning, warn) {
          if (checked || warning.code !== 'INEFFECTIVE_DYNAMIC_IMPORT') warn(warning);
        },
      },
    },
  });
  const assets = join(dir, 'out/assets');
  // What the page loads up front: the entry chunk and its static imports. Chunks reached only by
  // dynamic import (the main-thread hashers, loaded when no worker can start) are counted apart.
  const manifest = JSON.parse(readFileSync(join(dir, 'out/.vite/manifest.json'), 'utf8'));
  const initialFiles = new Set();
  const visit = (id) => {
    const chunk = manifest[id];
    if (!chunk || initialFiles.has(chunk.file)) return;
    initialFiles.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [id, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(id);
  let bundle = 0;
  let lazy = 0;
  for (const name of readdirSync(assets).filter((file) => file.endsWith('.js'))) {
    if (name.includes('checksum.worker')) worker = Math.max(worker, gzip(join(assets, name)));
    else if (initialFiles.has(`assets/${name}`)) bundle += gzip(join(assets, name));
    else lazy += gzip(join(assets, name));
  }
  if (checked && bundle > TARGET_BUNDLE) over = true;
  console.log(
    `objectdrop + objectdrop/react, ${label}: ${kB(bundle)} gzip loaded up front` +
      (checked ? ` (target ≤ ${kB(TARGET_BUNDLE)}: ${verdict(bundle, TARGET_BUNDLE)})` : '') +
      (lazy ? `, + ${kB(lazy)} in chunks loaded only on demand` : ''),
  );
}
if (worker === 0) {
  console.log('checksum worker asset: not found in the app build');
  over = true;
} else {
  if (worker > TARGET_WORKER) over = true;
  console.log(
    `checksum worker asset: ${kB(worker)} gzip (target ≤ ${kB(TARGET_WORKER)}: ${verdict(worker, TARGET_WORKER)})`,
  );
}
process.exitCode = over ? 1 : 0;
