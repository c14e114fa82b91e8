import type { Page } from '@playwright/test';
import { expect, fileCard, makeFile, openDemo, setFaults, test } from './helpers';

const MiB = 1024 * 1024;

// Chromium's save dialog cannot be driven from a test: the user's choice of where to save is
// stood in for by a file in the origin-private file system, a real FileSystemFileHandle that
// the download writes in place.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'showSaveFilePicker', {
      configurable: true,
      value: async ({ suggestedName }: { suggestedName?: string } = {}) => {
        const root = await navigator.storage.getDirectory();
        return root.getFileHandle(suggestedName ?? 'download.bin', { create: true });
      },
    });
  });
});

/** SHA-256 (base64) and size of the saved file, read back in the page. */
function savedFile(page: Page, name: string) {
  return page.evaluate(async (fileName) => {
    const root = await navigator.storage.getDirectory();
    const file = await (await root.getFileHandle(fileName)).getFile();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    return { size: file.size, sha256: btoa(String.fromCharCode(...digest)) };
  }, name);
}

async function uploadOne(page: Page, name: string, size: number) {
  const file = makeFile(name, size);
  const input = await openDemo(page);
  await input.setInputFiles(file.path);
  await expect(fileCard(page, name)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  return { file, stored: page.getByTestId('stored-object') };
}

test('a user downloads an object to a file in ranged segments; a dropped connection resumes from the byte it reached', async ({
  page,
}) => {
  const { file, stored } = await uploadOne(page, 'ranged.bin', 6 * MiB + 321);
  const ranges: string[] = [];
  const cut: string[] = [];
  page.on('request', (request) => {
    const range = request.headers().range;
    if (request.method() === 'GET' && range) ranges.push(range);
  });
  page.on('requestfailed', (request) => {
    if (request.method() === 'GET' && request.url().includes('/objects/')) cut.push(request.url());
  });
  // Cut the first ranged response half-way through its 1 MiB segment.
  await setFaults({ dropDownloadAfterBytes: MiB / 2, dropCount: 1 });

  await stored.getByRole('button', { name: 'Download ranged.bin' }).click();
  const task = stored.locator('.od-download__task');
  await expect(task).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(stored.getByRole('progressbar', { name: 'Progress of ranged.bin' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );

  expect(await savedFile(page, 'ranged.bin')).toEqual({ size: file.bytes.length, sha256: file.sha256 });
  // Segments of 1 MiB, and one request that picks up a segment where the cut left it.
  const starts = ranges.map((range) => Number(/bytes=(\d+)-/.exec(range)?.[1]));
  expect(starts.filter((start) => start % MiB === 0).length).toBeGreaterThanOrEqual(7);
  expect(starts.some((start) => start % MiB !== 0)).toBe(true);
  expect(cut.length).toBeGreaterThanOrEqual(1);
});

test('a download whose bytes do not match the stored checksum fails with a clear message and leaves no file behind', async ({
  page,
}) => {
  const { stored } = await uploadOne(page, 'corrupt.bin', 2 * MiB);
  await setFaults({ corruptDownload: true });

  await stored.getByRole('button', { name: 'Download corrupt.bin' }).click();
  const task = stored.locator('.od-download__task');
  await expect(task).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(task).toHaveAttribute('data-error', 'CHECKSUM_MISMATCH');
  await expect(task.locator('.od-download__status')).toContainText(/did not match/i);
  const saved = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('corrupt.bin').catch(() => undefined);
    return handle ? (await handle.getFile()).size : 0;
  });
  expect(saved).toBe(0);
});
