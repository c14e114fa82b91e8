// Files out of a drop or a paste, folders included. Folder contents come from the non-standard
// but universal `webkitGetAsEntry`; each file keeps its path relative to the dropped folder.

/** Where a file sat in a dropped or picked folder (`photos/2024/a.jpg`); the name for loose files. */
export function relativePathOf(file: File): string {
  const own = (file as File & { relativePath?: string }).relativePath;
  return own || file.webkitRelativePath || file.name;
}

function withPath(file: File, path: string): File {
  if (path !== file.name && !(file as File & { relativePath?: string }).relativePath) {
    Object.defineProperty(file, 'relativePath', { value: path, enumerable: true });
  }
  return file;
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function filesOf(entry: FileSystemEntry, prefix: string): Promise<File[]> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [withPath(file, path)];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries per call: read until it returns none.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => filesOf(child, path)));
  return nested.flat();
}

/**
 * Must be called synchronously inside the event handler: a DataTransfer is emptied once the
 * event returns. The folder walk that follows is asynchronous.
 */
export function filesFromDataTransfer(transfer: DataTransfer | null): Promise<File[]> {
  if (!transfer) return Promise.resolve([]);
  const items = Array.from(transfer.items ?? []).filter((item) => item.kind === 'file');
  if (items.length === 0) return Promise.resolve(Array.from(transfer.files ?? []));
  const sources = items.map((item) => {
    const entry = item.webkitGetAsEntry?.() ?? null;
    return entry ?? item.getAsFile();
  });
  return Promise.all(
    sources.map((source) =>
      source instanceof File ? [source] : source ? filesOf(source, '') : Promise.resolve([]),
    ),
  ).then((lists) => lists.flat());
}

/** True while a drag carries files (not text or links). */
export function dragHasFiles(transfer: DataTransfer | null): boolean {
  return !!transfer && Array.from(transfer.types ?? []).includes('Files');
}
