import type { Locator, Page } from '@playwright/test';
import {
  expect,
  expectNoViolations,
  fileCard,
  makeFile,
  openDemo,
  resetStore,
  setFaults,
  test,
} from './helpers';

/** Presses Tab until `target` has focus: what a keyboard user does. Fails if it never does. */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

test('a keyboard-only user adds a file with the picker button, starts, cancels and retries the upload', async ({
  page,
}) => {
  const file = makeFile('keyboard.bin', 512 * 1024);
  await openDemo(page);
  // Slow answers keep the upload running long enough to reach its Cancel button.
  await setFaults({ latencyMs: 3000 });

  const autoStart = page.getByRole('checkbox', { name: 'Start uploads as soon as files are added' });
  await tabTo(page, autoStart);
  await page.keyboard.press('Space');
  await expect(autoStart).not.toBeChecked();

  await tabTo(page, page.getByRole('button', { name: 'Choose files' }));
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(file.path);
  await expect(page.getByTestId('staged-files')).toContainText('keyboard.bin');

  await tabTo(page, page.getByRole('button', { name: 'Start upload' }));
  await page.keyboard.press('Enter');
  const card = fileCard(page, 'keyboard.bin');
  await expect(card).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Cancel keyboard.bin' }));
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-state', 'canceled');

  await resetStore();
  await tabTo(page, page.getByRole('button', { name: 'Retry keyboard.bin' }));
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('stored-object')).toHaveCount(1);
});

test('the demo page has no axe violations, idle and with uploads done, canceled and stored', async ({
  page,
}) => {
  await openDemo(page);
  await expectNoViolations(page);

  const input = page.locator('input[type=file]').first();
  await input.setInputFiles([makeFile('axe-a.bin', 64 * 1024).path, makeFile('axe-b.bin', 64 * 1024).path]);
  await expect(page.getByTestId('stored-object')).toHaveCount(2, { timeout: 60_000 });
  // And one the user canceled while the store was slow to answer.
  await setFaults({ latencyMs: 2000 });
  await input.setInputFiles(makeFile('axe-canceled.bin', 64 * 1024).path);
  await page.getByRole('button', { name: 'Cancel axe-canceled.bin' }).click();
  await expect(fileCard(page, 'axe-canceled.bin')).toHaveAttribute('data-state', 'canceled');
  await expectNoViolations(page);
});
