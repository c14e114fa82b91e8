// Builds the package: browser entries (ESM, worker as its own asset), Node entries (server, CLI),
// then the .d.ts files. `vite build` alone would only do the first part.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

process.env.OBJECTDROP_LIB_BUILD = 'browser';
await build({ root, logLevel: 'warn' });

process.env.OBJECTDROP_LIB_BUILD = 'node';
await build({ root, logLevel: 'warn' });

// Plain CSS, imported optionally by apps as `objectdrop/react/styles.css`.
copyFileSync(`${root}/src/react/styles.css`, `${root}/dist/styles.css`);

const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
console.log('objectdrop: built dist/');
