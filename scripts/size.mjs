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
// Each once more with hash-wasm left out, to show what its main-thread hashers (the fallback
// when workers cannot start) add.
const runs = Object.entries(apps).flatMap(([label, source]) => [
  { label, source, external: [] },
  { label: `${label}, without hash-wasm`, source, external: [/^hash-wasm($|\/)/] },
]);
for (const [index, { label, source, external }] of runs.entries()) {
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
      rolldownOptions: {
        input: join(dir, 'entry.js'),
        external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, ...external],
      },
    },
  });
  const assets = join(dir, 'out/assets');
  let bundle = 0;
  for (const name of readdirSync(assets).filter((file) => file.endsWith('.js'))) {
    if (name.includes('checksum.worker')) worker = Math.max(worker, gzip(join(assets, name)));
    else bundle += gzip(join(assets, name));
  }
  const checked = label.startsWith('typical app') && external.length === 0;
  if (checked && bundle > TARGET_BUNDLE) over = true;
  console.log(
    `objectdrop + objectdrop/react, ${label}: ${kB(bundle)} gzip` +
      (checked ? ` (target ≤ ${kB(TARGET_BUNDLE)}: ${verdict(bundle, TARGET_BUNDLE)})` : ''),
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
