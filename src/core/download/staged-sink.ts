import { isObjectStoreError } from '../errors';
import { emptyFile } from './empty-file';
import type { DownloadSink } from './sinks';
import { openWorkerSink } from './worker-sink';
import { writeFailed } from './write-failed';

/** Folder of the origin-private file system where downloads to other files are staged. */
export const STAGING_DIRECTORY = 'objectdrop-staging';
/** A staged file untouched for this long belongs to a tab that closed mid-download. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

async function sweepStale(directory: FileSystemDirectoryHandle): Promise<void> {
  const now = Date.now();
  const entries = directory as FileSystemDirectoryHandle & {
    entries(): AsyncIterable<[string, FileSystemHandle]>;
  };
  for await (const [name, entry] of entries.entries()) {
    if (entry.kind !== 'file') continue;
    try {
      const file = await (entry as FileSystemFileHandle).getFile();
      // A file still being written (another tab) is fresh, and open files cannot be removed anyway.
      if (now - file.lastModified > STALE_AFTER_MS) await directory.removeEntry(name);
    } catch {
      // In use or gone: not ours to clean.
    }
  }
}

/**
 * Writes a file outside the origin-private file system (one the user picked) by way of a staging file
 * inside it, or resolves `undefined` where there is none to be had (no OPFS, no sync access handles).
 *
 * Why: the only way into such a file is `createWritable()`, and its writes cost the page memory the
 * collector returns late (+243 MiB per GiB in `npm run bench:download` from a store answering `no-cache`,
 * +62…+81 MiB from one answering `no-store`, with no library as with ours). The
 * staging file takes the sync-access path instead (the worker makes the GETs; a check reads the bytes back
 * before anything is committed); `close` then hands the whole staged file to `createWritable()` as one Blob,
 * which the browser copies from disk to disk. Costs: free OPFS quota for a copy of the object, and the copy.
 * The target keeps its old content until that copy is closed; `abort` before it leaves the target as it was,
 * after it empties the target. An object larger than the origin's free quota is not staged: `fit` closes the
 * staging file and hands over to `unstaged()`, which writes the target directly (no quota applies there).
 */
export async function openStagedSink(
  target: FileSystemFileHandle,
  unstaged: () => Promise<DownloadSink>,
): Promise<DownloadSink | undefined> {
  let directory: FileSystemDirectoryHandle;
  let staging: FileSystemFileHandle;
  const name = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.part`;
  try {
    const root = await navigator.storage.getDirectory();
    directory = await root.getDirectoryHandle(STAGING_DIRECTORY, { create: true });
    staging = await directory.getFileHandle(name, { create: true });
  } catch {
    return undefined;
  }
  void sweepStale(directory).catch(() => {});
  const remove = () => directory.removeEntry(name).catch(() => {});
  const inner = await openWorkerSink(staging);
  if (!inner) {
    await remove();
    return undefined;
  }
  let committed = false;
  // The sink's methods are closures over its worker: written, fetched and read back through it as they are.
  const sink: DownloadSink = {
    ...inner,
    async fit(size) {
      // The staging file is an origin-private file like any other: its own `fit` sizes it and takes the quota,
      // or says the object does not fit (INVALID_INPUT), and then the target is written directly.
      try {
        await inner.fit?.(size);
        return sink;
      } catch (cause) {
        if (!isObjectStoreError(cause) || cause.code !== 'INVALID_INPUT') throw cause;
      }
      await inner.abort(undefined);
      await remove();
      return unstaged();
    },
    async close() {
      await inner.close();
      try {
        const writable = await target.createWritable({ keepExistingData: false });
        try {
          await writable.write(await staging.getFile());
          await writable.close();
        } catch (cause) {
          await writable.abort().catch(() => {});
          throw cause;
        }
      } catch (cause) {
        throw writeFailed(cause, 'Could not copy the download into the chosen file.');
      } finally {
        await remove();
      }
      committed = true;
      return undefined;
    },
    async abort(reason) {
      if (committed) return emptyFile(target);
      await inner.abort(reason);
      await remove();
    },
  };
  return sink;
}
