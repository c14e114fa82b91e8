import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { makeFile, storeApi } from './helpers';

test('a user picks a file; it is hashed, uploaded with progress, stored intact, and its metadata is shown', {
  tag: '@any-store',
}, async ({ page }) => {
  const file = makeFile('skeleton-4mib.bin', 4 * 1024 * 1024 + 123);
  await page.goto('/');
  await page.locator('input[type=file]').first().setInputFiles(file.path);

  const stored = page.getByTestId('stored-object');
  await expect(stored).toBeVisible({ timeout: 60_000 });
  const progress = page.getByRole('progressbar', { name: /skeleton-4mib\.bin/ });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');

  const key = (await stored.locator('[data-field=key]').textContent()) ?? '';
  await expect(stored.locator('[data-field=checksum]')).toHaveText(file.sha256);
  await expect(stored.locator('[data-field=size]')).toContainText(String(file.bytes.length));

  // The store itself (not the page) says what it holds, and its bytes hash to Node's digest.
  const metadata = await storeApi<{ checksum: string; size: number }>('metadata', { key });
  expect(metadata.status).toBe(200);
  expect(metadata.body).toMatchObject({ checksum: file.sha256, size: file.bytes.length });
  const url = await storeApi<{ url: string }>('public-download-url', { key });
  const bytes = Buffer.from(await (await fetch(url.body.url)).arrayBuffer());
  expect(createHash('sha256').update(bytes).digest('base64')).toBe(file.sha256);
});
