import { createHash } from 'node:crypto';
import { expect, fileCard, makeFile, openDemo, storeApi, test } from './helpers';

test('a user uploads to the CDN bucket with a TTL and CRC32C, gets a CDN URL that serves the bytes, then deletes the object', async ({
  page,
}) => {
  const file = makeFile('cdn-asset.bin', 200 * 1024);
  const input = await openDemo(page);
  await page.getByRole('checkbox', { name: 'Store in the CDN bucket' }).check();
  await page.getByLabel('Expire after (seconds)').fill('3600');
  await page.getByLabel('Checksum').selectOption('CRC32C');
  await input.setInputFiles(file.path);
  await expect(fileCard(page, 'cdn-asset.bin')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  const stored = page.getByTestId('stored-object');
  await expect(stored).toHaveAttribute('data-cdn', '');
  await expect(stored.locator('[data-field=checksumType]')).toHaveText('CRC32C');
  const key = (await stored.locator('[data-field=key]').textContent()) ?? '';
  expect((await storeApi('metadata', { key, cdn: true })).status).toBe(200);
  expect((await storeApi('metadata', { key })).status).toBe(404);

  await stored.getByRole('button', { name: `Get CDN URL of ${key}` }).click();
  const link = stored.locator('[data-field=cdnUrl]');
  await expect(link).toBeVisible();
  const served = Buffer.from(await (await fetch((await link.getAttribute('href'))!)).arrayBuffer());
  expect(createHash('sha256').update(served).digest('base64')).toBe(file.sha256);

  await stored.getByRole('button', { name: 'Delete cdn-asset.bin' }).click();
  await expect(page.getByTestId('missing-object').locator('[data-field=deleted]')).toBeVisible();
  expect((await storeApi('metadata', { key, cdn: true })).status).toBe(404);
});
