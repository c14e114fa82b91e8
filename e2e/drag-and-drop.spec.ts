import { createHash } from 'node:crypto';
import { expect, fileCards, openDemo, storedSha256, test } from './helpers';

// What the drop carries: two loose files and a folder with a nested folder. Contents are text,
// so Node can hash the same bytes the page builds.
const contents: Record<string, string> = {
  'notes.txt': 'loose file one\n'.repeat(2000),
  'readme.md': '# loose file two\n'.repeat(3000),
  'photos/cover.txt': 'in the folder\n'.repeat(4000),
  'photos/2024/june.txt': 'in a folder in the folder\n'.repeat(5000),
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

test('a user drags two files and a folder onto the drop zone; all four files upload, keeping the folder paths', async ({
  page,
}) => {
  await openDemo(page);
  const zone = page.getByRole('group', { name: 'Upload files' });

  // Playwright cannot drag from the desktop, so the page builds the DataTransfer a browser
  // would: items whose `webkitGetAsEntry()` gives file and directory entries.
  await zone.evaluate((element, files) => {
    const file = (path: string) =>
      new File([files[path]!], path.split('/').pop()!, { type: 'text/plain', lastModified: 1 });
    const fileEntry = (path: string) => {
      const made = file(path);
      return { isFile: true, isDirectory: false, name: made.name, file: (ok: (f: File) => void) => ok(made) };
    };
    const directoryEntry = (name: string, children: unknown[]) => ({
      isFile: false,
      isDirectory: true,
      name,
      createReader: () => {
        let read = false;
        // Like Chromium: entries in one batch, then an empty batch to say the folder is done.
        return {
          readEntries: (ok: (entries: unknown[]) => void) => {
            ok(read ? [] : children);
            read = true;
          },
        };
      },
    });
    const folder = directoryEntry('photos', [
      fileEntry('photos/cover.txt'),
      directoryEntry('2024', [fileEntry('photos/2024/june.txt')]),
    ]);
    const item = (entry: { name: string }, asFile: File | null) => ({
      kind: 'file',
      type: asFile?.type ?? '',
      getAsFile: () => asFile,
      webkitGetAsEntry: () => entry,
    });
    const loose = ['notes.txt', 'readme.md'].map((path) => item(fileEntry(path), file(path)));
    const transfer = new DataTransfer();
    for (const path of ['notes.txt', 'readme.md']) transfer.items.add(file(path));
    Object.defineProperty(transfer, 'items', { value: [...loose, item(folder, null)] });

    const fire = (type: string) =>
      element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    fire('dragenter');
    fire('dragover');
    (window as unknown as { dropFiles: () => void }).dropFiles = () => fire('drop');
  }, contents);

  await expect(zone).toHaveAttribute('data-state', 'drag-over');
  await expect(zone).toContainText('Drop to add');
  await page.evaluate(() => (window as unknown as { dropFiles: () => void }).dropFiles());
  await expect(zone).toHaveAttribute('data-state', 'idle');
  await expect(fileCards(page)).toHaveCount(4);
  await expect(page.locator('.od-file-card[data-state=done]')).toHaveCount(4, { timeout: 60_000 });

  const stored = page.getByTestId('stored-object');
  await expect(stored).toHaveCount(4);
  const keys = await stored.locator('[data-field=key]').allTextContents();
  for (const [path, text] of Object.entries(contents)) {
    const key = keys.find((candidate) => candidate.endsWith(`/${path}`));
    expect(key, `a key ending in /${path}`).toBeDefined();
    expect(await storedSha256(key!)).toBe(sha256(text));
  }
});
