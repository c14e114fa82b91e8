import type { Page } from '@playwright/test';
import {
  countResponses,
  expect,
  fileCard,
  fileCards,
  getFaults,
  makeFile,
  makeFiles,
  openDemo,
  setFaults,
  storedSha256,
  test,
} from './helpers';

const MiB = 1024 * 1024;
const isPut = (method: string, url: string) => method === 'PUT' && url.includes('/objects/');
const isPresign = (method: string, url: string) => method === 'POST' && /\/public-upload-urls?$/.test(url);

/** Upload URLs the store handed out, one per `public-upload-url` and one per entry of `public-upload-urls`. */
function countPresignedUrls(page: Page) {
  const counter = { count: 0 };
  page.on('response', async (response) => {
    if (!isPresign(response.request().method(), response.url()) || response.status() !== 200) return;
    const body = (await response.json()) as { urls?: unknown[] };
    counter.count += Array.isArray(body.urls) ? body.urls.length : 1;
  });
  return counter;
}

/** Waits for every card to be done and checks each file against what the store holds. */
async function expectAllStored(page: import('@playwright/test').Page, files: ReturnType<typeof makeFiles>) {
  await expect(fileCards(page)).toHaveCount(files.length);
  await expect(page.locator('.od-file-card[data-state=done]')).toHaveCount(files.length, { timeout: 90_000 });
  await expect(page.locator('.od-file-card[data-state=failed]')).toHaveCount(0);
  const stored = page.getByTestId('stored-object');
  await expect(stored).toHaveCount(files.length);
  const byChecksum = new Map(files.map((file) => [file.sha256, file]));
  for (const object of await stored.all()) {
    const key = (await object.locator('[data-field=key]').textContent()) ?? '';
    const checksum = (await object.locator('[data-field=checksum]').textContent()) ?? '';
    expect(byChecksum.has(checksum)).toBe(true);
    expect(await storedSha256(key)).toBe(checksum);
  }
}

test('during a 429 storm the queue backs off, shows that it is waiting, and every file still arrives', async ({
  page,
}) => {
  const files = makeFiles('storm', 8, 256 * 1024);
  const input = await openDemo(page);
  const tooMany = countResponses(page, (_, __, status) => status === 429);
  await setFaults({ rateLimitRate: 1, retryAfterSeconds: 1 });
  await input.setInputFiles(files.map((file) => file.path));

  // The storm lasts long enough for the client to be refused again after its first back-off.
  await expect.poll(() => tooMany.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
  await expect(page.getByTestId('retrying')).toContainText(/busy|too many/i);
  await expect(page.locator('.od-file-card[data-state=failed]')).toHaveCount(0);
  await setFaults({ rateLimitRate: null });

  await expectAllStored(page, files);
});

test('pre-signed URLs that expire while files wait in the queue are refreshed, and every file arrives', async ({
  page,
}) => {
  const files = makeFiles('expiry', 8, MiB);
  const input = await openDemo(page);
  const expired = countResponses(page, (method, url, status) => isPut(method, url) && status === 403);
  const presigns = countPresignedUrls(page);
  // A slow uplink (1 MB/s for the whole page): the first four PUTs take seconds, longer than
  // the URLs of the next four, handed out up front, stay valid.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1_000_000,
  });
  await setFaults({ urlTtlSeconds: 2 });
  await input.setInputFiles(files.map((file) => file.path));

  await expectAllStored(page, files);
  expect(expired.count).toBeGreaterThan(0);
  await expect.poll(() => presigns.count).toBe(files.length + expired.count);
});

test('a connection dropped mid-upload is retried and the file arrives intact', async ({ page }) => {
  const file = makeFile('dropped.bin', 6 * MiB);
  const input = await openDemo(page);
  const failedPuts: string[] = [];
  page.on('requestfailed', (request) => {
    if (isPut(request.method(), request.url())) failedPuts.push(request.failure()?.errorText ?? '');
  });
  // Chromium itself resends a request once when a reused connection resets; three drops make
  // sure the client's own retry is what recovers.
  await setFaults({ dropUploadAfterBytes: 2 * MiB, dropCount: 3 });
  await input.setInputFiles(file.path);

  await expect(fileCard(page, 'dropped.bin')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(failedPuts.length).toBeGreaterThanOrEqual(1);
  // Every drop happened: the store switched the fault off after the third.
  expect(await getFaults()).not.toHaveProperty('dropUploadAfterBytes');
  const key = (await page.getByTestId('stored-object').locator('[data-field=key]').textContent()) ?? '';
  expect(await storedSha256(key)).toBe(file.sha256);
});

test('a file that changes on disk after it was hashed fails with a clear checksum-mismatch message and is not stored', async ({
  page,
}) => {
  const file = makeFile('changed.bin', 2 * MiB);
  const input = await openDemo(page);
  // Slow answers hold the upload between hashing and its PUT long enough to change the file.
  await setFaults({ latencyMs: 1500 });
  await input.setInputFiles(file.path);
  const card = fileCard(page, 'changed.bin');
  await expect(card).toHaveAttribute('data-state', 'presigning', { timeout: 30_000 });

  // Same size, same modification time: the browser cannot tell, and sends the new bytes.
  const { statSync, utimesSync, writeFileSync } = await import('node:fs');
  const { randomBytes } = await import('node:crypto');
  const before = statSync(file.path);
  writeFileSync(file.path, randomBytes(file.bytes.length));
  utimesSync(file.path, before.atime, before.mtime);

  await expect(card).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(card).toHaveAttribute('data-error', 'CHECKSUM_MISMATCH');
  await expect(card.locator('.od-file-card__status')).toContainText('did not match');
  await expect(page.getByTestId('stored-object')).toHaveCount(0);
});
