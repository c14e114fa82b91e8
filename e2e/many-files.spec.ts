import { expect, fileCards, makeFiles, openDemo, storedSha256, test } from './helpers';

test('a user adds 20 files at once; all are uploaded with per-file and total progress, and each is stored intact', async ({
  page,
}) => {
  const files = makeFiles('batch', 20, 300 * 1024 + 17);
  const input = await openDemo(page);
  await input.setInputFiles(files.map((file) => file.path));

  await expect(fileCards(page)).toHaveCount(20);
  const total = page.getByRole('progressbar', { name: 'All uploads' });
  await expect(total).toBeVisible();
  await expect(page.locator('.od-file-card[data-state=done]')).toHaveCount(20, { timeout: 90_000 });
  await expect(total).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('total-progress').locator('[data-field=done]')).toHaveText('20 done');
  for (const file of files) {
    const name = file.path.split('/').pop()!;
    await expect(page.getByRole('progressbar', { name: `Progress of ${name}` })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
  }

  const stored = page.getByTestId('stored-object');
  await expect(stored).toHaveCount(20);
  const expected = new Set(files.map((file) => file.sha256));
  const seen = new Set<string>();
  for (const object of await stored.all()) {
    const key = (await object.locator('[data-field=key]').textContent()) ?? '';
    const checksum = await storedSha256(key);
    expect(expected.has(checksum)).toBe(true);
    seen.add(checksum);
  }
  expect(seen.size).toBe(20);
});
