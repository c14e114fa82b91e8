import { abortError, ObjectStoreError } from '../errors';
import type { TransportResponse } from '../transport/types';
import type { PipeRange } from './body-pipe';
import { showSavePicker } from './save-picker';
import { openStagedSink } from './staged-sink';
import type { DownloadTarget } from './types';
import { openWorkerSink } from './worker-sink';
import { writeFailed } from './write-failed';

/** Where a download task writes. Positional sinks take bytes at any offset; the others in order only. */
export interface DownloadSink {
  readonly positional: boolean;
  /** Holds on to the chunks it is given (so nothing else may detach or refill their buffers). */
  readonly keepsChunks?: boolean;
  /**
   * `transfer`: the sink may move the chunk's buffer (to a worker) instead of copying it; it then resolves
   * with the same bytes in the buffer it got back, once written. Otherwise it resolves `undefined`.
   */
  write(
    chunk: Uint8Array,
    position: number,
    options?: { transfer?: boolean },
  ): Promise<Uint8Array | undefined>;
  /**
   * Makes a GET itself, where the bytes are written (a worker), so the body never passes through the page.
   * Only for real URLs: the task uses it when its transport is plain `fetch`.
   */
  fetch?(request: SinkFetchRequest, signal: AbortSignal): Promise<SinkResponse>;
  /** Reads written bytes back into `into` (a verify pass over what is in the file). */
  read?(position: number, into: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * The file as `close` left it, for a sink that cannot read its bytes before then (a writable stream's
   * swap file): the check runs after `close`, and `abort` after `close` empties the file.
   */
  closedFile?(): Promise<Blob>;
  /**
   * Called once the object's size is known, before any byte is fetched: a sink that cannot hold the object
   * fails now, or, having closed itself, resolves with another sink to write instead.
   */
  fit?(size: number): Promise<DownloadSink>;
  /** Forget what was written (a restart after the object changed). */
  reset(): Promise<void>;
  /** Commit: the bytes become visible as a whole. `contentType` is the object's, for a Blob's `type`. */
  close(contentType?: string): Promise<Blob | undefined>;
  /** Give up: nothing written may look like the complete object. */
  abort(reason: unknown): Promise<void>;
}

export interface SinkFetchRequest {
  url: string;
  headers: Record<string, string>;
}

/** A response whose body stays with the sink: it is written by `pipe`, or dropped by `discard`. */
export interface SinkResponse extends TransportResponse {
  body: null;
  /**
   * Writes the body's bytes `from`–`end` at their offsets (`bodyStart` is the offset of its first byte),
   * calling `onWritten` after each write, with the time spent writing since the last call where it is known.
   * Bytes that arrived before a failure are written (and reported) before it rejects. A body that ends early
   * resolves: the caller sees what is missing.
   */
  pipe(
    range: PipeRange & { stallMs: number },
    onWritten: (written: number, fetched: number, busyMs?: number) => void,
    signal: AbortSignal,
  ): Promise<void>;
  discard(): void;
  /**
   * While `pipe` runs: stop at `end` instead, so another GET can take the rest. Resolves with the end the
   * pipe will stop at (later than `end` where bytes past it were read already), or `undefined` when the pipe
   * is not running. Bytes written and reported never pass the end it resolves with.
   */
  shorten?(end: number): Promise<number | undefined>;
}

export function isSinkResponse(response: TransportResponse): response is SinkResponse {
  return typeof (response as Partial<SinkResponse>).pipe === 'function';
}

export interface SinkOptions {
  fileName: string;
}

/** Collects the object into a Blob; `close` hands it out (or, with `saveAs`, clicks a download link). */
export function createBlobSink(options: SinkOptions & { saveAs?: boolean }): DownloadSink {
  // Blob parts, not the chunks: the bytes are copied into the browser's blob store at once, which may
  // keep large ones on disk, and the chunk buffers are free again.
  let parts: Blob[] = [];
  return {
    positional: false,
    async write(chunk) {
      parts.push(new Blob([chunk as Uint8Array<ArrayBuffer>]));
      return undefined;
    },
    async reset() {
      parts = [];
    },
    async close(contentType) {
      const blob = new Blob(parts, { type: contentType ?? '' });
      parts = [];
      if (!options.saveAs) return blob;
      saveWithLink(blob, options.fileName);
      return undefined;
    },
    async abort() {
      parts = [];
    },
  };
}

function saveWithLink(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download asynchronously; revoking at once may cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Writes in place through `createWritable()`. Chromium writes to a swap file that replaces the file only
 * on `close()`, so an aborted download leaves the file as it was, never half-written.
 */
export function createFileHandleSink(handle: FileSystemFileHandle): DownloadSink {
  let writer: Promise<WritableStreamDefaultWriter<FileSystemWriteChunkType>> | undefined;
  const open = () => {
    writer ??= handle.createWritable({ keepExistingData: false }).then((stream) => stream.getWriter());
    return writer;
  };
  const guard = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (cause) {
      throw writeFailed(cause);
    }
  };
  return {
    positional: true,
    write: (chunk, position) =>
      guard(async () => {
        await (await open()).write({ type: 'write', position, data: chunk as Uint8Array<ArrayBuffer> });
        return undefined;
      }),
    reset: () => guard(async () => (await open()).write({ type: 'truncate', size: 0 })),
    close: () =>
      guard(async () => {
        await (await open()).close();
        return undefined;
      }),
    async abort(reason) {
      if (!writer) return;
      try {
        await (await writer).abort(reason);
      } catch {
        // Already closed or errored: nothing more to undo.
      }
    },
  };
}

/** Appends in order to the caller's stream; the task holds out-of-order bytes until their turn. */
export function createStreamSink(stream: WritableStream<Uint8Array>): DownloadSink {
  let writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  let written = 0;
  const open = () => {
    try {
      writer ??= stream.getWriter();
    } catch (cause) {
      throw writeFailed(cause);
    }
    return writer;
  };
  return {
    positional: false,
    keepsChunks: true,
    async write(chunk) {
      try {
        await open().write(chunk);
      } catch (cause) {
        throw writeFailed(cause);
      }
      written += chunk.byteLength;
      return undefined;
    },
    async reset() {
      if (written > 0)
        throw new ObjectStoreError(
          'OBJECT_CHANGED',
          'The object changed after bytes were written to the stream.',
          {
            retryable: false,
          },
        );
    },
    async close() {
      try {
        await open().close();
      } catch (cause) {
        throw writeFailed(cause);
      }
      return undefined;
    },
    async abort(reason) {
      try {
        await open().abort(reason);
      } catch {
        // The stream was already errored or closed.
      }
    },
  };
}

/**
 * A file with no sync access handle, best way first: staged in OPFS and copied on close; else through a
 * writable stream in the worker; else from the page.
 */
async function openOutsideOpfs(handle: FileSystemFileHandle): Promise<DownloadSink> {
  const unstaged = async () =>
    (await openWorkerSink(handle, { stream: true })) ?? createFileHandleSink(handle);
  return (await openStagedSink(handle, unstaged)) ?? unstaged();
}

/** `picked`: a picker already opened at the click (see `showSavePicker`); by default one is opened now. */
export function openSaveTarget(
  options: SinkOptions,
  picked = showSavePicker(options.fileName),
): Promise<DownloadSink> {
  if (!picked) return Promise.resolve(createBlobSink({ ...options, saveAs: true }));
  // A picked file is never origin-private: no sync access handle for it.
  return picked.then(openOutsideOpfs, (cause) => {
    if ((cause as { name?: string })?.name === 'AbortError') throw abortError(cause);
    throw writeFailed(cause);
  });
}

export function isFileHandle(target: unknown): target is FileSystemFileHandle {
  return (
    typeof target === 'object' &&
    target !== null &&
    (target as { kind?: unknown }).kind === 'file' &&
    typeof (target as { createWritable?: unknown }).createWritable === 'function'
  );
}

export function isWritableStream(target: unknown): target is WritableStream<Uint8Array> {
  return (
    typeof target === 'object' &&
    target !== null &&
    typeof (target as WritableStream).getWriter === 'function'
  );
}

export function openSink(target: DownloadTarget, options: SinkOptions): Promise<DownloadSink> {
  if (target === 'blob') return Promise.resolve(createBlobSink(options));
  if (target === 'file') return openSaveTarget(options);
  if (isFileHandle(target)) return openWorkerSink(target).then((sink) => sink ?? openOutsideOpfs(target));
  if (isWritableStream(target)) return Promise.resolve(createStreamSink(target));
  return Promise.reject(
    new ObjectStoreError(
      'INVALID_INPUT',
      "`to` must be 'blob', 'file', a FileSystemFileHandle or a WritableStream.",
      { retryable: false },
    ),
  );
}
