import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { makeFile, storeUrl } from './helpers';

// Proves the package as a user gets it: packed, installed from the tarball into a fresh
// Vite + React app (no source alias), built by that app's Vite, and run in Chromium.
const root = resolve(import.meta.dirname, '..');
const consumerPort = process.env.E2E_CONSUMER_PORT ?? '5198';
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

let work = '';
let preview: ChildProcess | undefined;

test.describe.configure({ timeout: 600_000 });

/** Polls the URL: the banner Vite prints is coloured and changes between versions. */
async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited:\n${output}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite preview did not start:\n${output}`);
}

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'objectdrop-consumer-'));
  const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, stdio: 'pipe' });
  run('npm', ['run', 'build'], root);
  run('npm', ['pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  for (const name of ['index.html', 'main.tsx', 'vite.config.mjs']) {
    copyFileSync(join(root, 'e2e/consumer-app', name), join(app, name));
  }
  const dependencies: Record<string, string> = { objectdrop: `file:${join(work, tarball)}` };
  for (const name of ['react', 'react-dom', '@tanstack/react-query', 'vite', '@vitejs/plugin-react']) {
    dependencies[name] = versionOf(name);
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2),
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
  run('npx', ['vite', 'build'], app);
  preview = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', consumerPort, '--strictPort'], {
    cwd: app,
    stdio: 'pipe',
    detached: true, // its own process group, so afterAll stops vite and not only npx
  });
  await waitUntilServing(`http://127.0.0.1:${consumerPort}/`, preview);
});

test.afterAll(() => {
  if (preview?.pid) process.kill(-preview.pid, 'SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens the consumer app, noting the workers it starts, and uploads a new file of `size` bytes through it. */
async function uploadInConsumerApp(page: Page, name: string, size: number) {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(`http://127.0.0.1:${consumerPort}/?store=${encodeURIComponent(storeUrl)}`);
  const file = makeFile(name, size);
  await page.locator('input[type=file]').first().setInputFiles(file.path);
  const stored = page.getByTestId('stored');
  await expect(stored).toHaveAttribute('data-checksum', file.sha256, { timeout: 60_000 });
  return { workers, file, stored };
}

test('an app that installed the packed tarball hashes in its worker and uploads to the store', async ({
  page,
}) => {
  const { workers } = await uploadInConsumerApp(page, 'consumer.bin', 3 * 1024 * 1024 + 7);
  expect(workers.some((url) => /checksum/.test(url))).toBe(true);
});

test('the installed package downloads into an OPFS file through its writer worker, served as a file', async ({
  page,
}) => {
  const { workers, file, stored } = await uploadInConsumerApp(
    page,
    'consumer-download.bin',
    2 * 1024 * 1024 + 3,
  );
  const key = await stored.getAttribute('data-key');
  const checksum = await page.evaluate(async (key) => {
    const { backend, computeChecksum, createObjectStore } = window.objectdrop;
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('consumer-download.bin', { create: true });
    await createObjectStore({ backend }).download(key!, { to: handle, segmentSize: 512 * 1024 }).done;
    return computeChecksum(await handle.getFile(), 'SHA256');
  }, key);
  expect(checksum).toBe(file.sha256);
  // A `data:` worker (what the app's Vite made of the small worker file before) has no OPFS access.
  expect(workers.filter((url) => /file-writer/.test(url))).toEqual([expect.stringMatching(/^http:/)]);
});
