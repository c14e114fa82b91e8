// `npm start`: the local object store on 127.0.0.1 and the demo page (Vite) against it.
// Env: STORE_PORT (8787), DEMO_PORT (5173), STORE_DIR (.objectdrop), STORE_FLAGS (extra CLI flags),
// STORE=s3 to serve the same HTTP API from an S3 store (a throwaway Ceph RGW, scripts/s3-dev-server.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const storePort = process.env.STORE_PORT ?? '8787';
const demoPort = process.env.DEMO_PORT ?? '5173';
const storeDir = process.env.STORE_DIR ?? '.objectdrop';
const demoOrigin = `http://127.0.0.1:${demoPort}`;
const children = [];

function run(command, args, env = {}) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`objectdrop: ${command} ${args[0] ?? ''} exited (${signal ?? code}); stopping.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

function waitForLine(child, pattern, label) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start in time:\n${seen}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      process.stdout.write(text);
      // Vite colours its banner even into a pipe; match on the plain text.
      seen += stripVTControlCharacters(text);
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

const extraFlags = (process.env.STORE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const store = run('npx', [
  'tsx',
  process.env.STORE === 's3' ? 'scripts/s3-dev-server.ts' : 'scripts/objectdrop-dev.ts',
  'serve',
  '--port',
  storePort,
  '--host',
  '127.0.0.1',
  '--dir',
  storeDir,
  '--cors-origin',
  demoOrigin,
  '--admin',
  ...extraFlags,
]);
const [, storeUrl] = await waitForLine(store, /listening on (http:\/\/\S+)/, 'The object store');

const demo = run('npx', ['vite', '--port', demoPort, '--strictPort'], {
  OBJECTDROP_DEMO: '1',
  VITE_OBJECTDROP_STORE_URL: storeUrl,
});
await waitForLine(demo, /Local:\s+http/, 'The demo page');
console.log(`\nobjectdrop demo: ${demoOrigin}/  (object store: ${storeUrl}, data in ${storeDir}/)\n`);
