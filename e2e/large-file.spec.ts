import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  expect,
  fileCard,
  makeLargeFile,
  openDemo,
  processMemory,
  rendererPids,
  storeApi,
  storedSha256,
  test,
} from './helpers';

const MiB = 1024 * 1024;

test('a 300 MiB file on disk is hashed and uploaded while the page’s memory stays bounded', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const file = makeLargeFile('large-300mib.bin', 300 * MiB);
  try {
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const input = await openDemo(page);
    const pids = await rendererPids(browser);
    expect(pids.length).toBeGreaterThan(0);
    const before = new Map(pids.map((pid) => [pid, processMemory(pid).rss]));

    await input.setInputFiles(file.path);
    const card = fileCard(page, 'large-300mib.bin');
    await expect(card).toHaveAttribute('data-state', 'done', { timeout: 240_000 });

    // The peak resident size of each renderer (page and its workers) since it started, against
    // where it stood before the upload: reading the file whole would add 300 MiB at least.
    const growth = Math.max(...pids.map((pid) => processMemory(pid).peak - before.get(pid)!));
    console.log(`renderer peak RSS growth during a 300 MiB upload: ${(growth / MiB).toFixed(1)} MiB`);
    expect(growth).toBeLessThan(256 * MiB);
    // Hashed off the main thread, in the library's checksum worker.
    expect(workers.some((url) => /checksum/.test(url))).toBe(true);

    const key = (await page.getByTestId('stored-object').locator('[data-field=key]').textContent()) ?? '';
    const metadata = await storeApi<{ size: number; checksum: string }>('metadata', { key });
    expect(metadata.body).toMatchObject({ size: file.size, checksum: file.sha256 });
    expect(await storedSha256(key)).toBe(file.sha256);
  } finally {
    rmSync(dirname(file.path), { recursive: true, force: true });
  }
});
