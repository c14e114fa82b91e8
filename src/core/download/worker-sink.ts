import { abortError, ObjectStoreError, type ObjectStoreErrorCode } from '../errors';
import { emptyFile } from './empty-file';
import type { WriterProgress, WriterReply, WriterRequest } from './file-writer-protocol';
import type { DownloadSink, SinkResponse } from './sinks';
import { doesNotFit, roomShortOf } from './storage-room';
import { writeFailed } from './write-failed';

type Success = WriterReply & { ok: true };
type Failure = WriterReply & { ok: false };
type Pending = {
  resolve: (reply: Success) => void;
  reject: (error: unknown) => void;
  onProgress?: (progress: WriterProgress) => void;
};
type Payload = WriterRequest extends infer R ? (R extends WriterRequest ? Omit<R, 'id'> : never) : never;

function createWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  // Exactly this form, so Vite (ours and a consuming app's) emits the worker as its own file.
  return new Worker(new URL('./file-writer.worker.ts', import.meta.url), { type: 'module' });
}

/** The worker's error as ours: the network's keep their code, anything else is the file's. */
function workerError(reply: Failure): Error {
  if (reply.code) return new ObjectStoreError(reply.code as ObjectStoreErrorCode, reply.message);
  return Object.assign(new Error(reply.message), { name: reply.name });
}

/**
 * Opens a file for writing in a worker, or resolves `undefined` where that is not possible (no workers, a
 * file open elsewhere, no sync access handle for it): the caller then tries another way. The worker can also
 * make the GETs and write their bodies itself (`fetch`), so no body passes through the page.
 * - By default, through a sync access handle (origin-private files only): written in place and emptied on
 *   `abort`, so a failed download leaves an empty file rather than the old content; the written bytes can be
 *   read back (`read`).
 * - With `stream`, through `createWritable()` (any file): the file keeps its old content until `close`
 *   replaces it, and `abort` leaves it so. Nothing can be read before `close`; a check reads the closed file
 *   (`closedFile`), and `abort` after `close` empties it.
 */
export async function openWorkerSink(
  handle: FileSystemFileHandle,
  options: { stream?: boolean } = {},
): Promise<DownloadSink | undefined> {
  let worker: Worker | undefined;
  try {
    worker = createWorker();
  } catch {
    return undefined;
  }
  if (!worker) return undefined;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let broken: unknown;
  const failAll = (error: unknown) => {
    broken ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.onmessage = (event: MessageEvent<WriterReply | WriterProgress>) => {
    const message = event.data;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    if ('progress' in message) {
      waiting.onProgress?.(message);
      return;
    }
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message);
    else waiting.reject(workerError(message));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    failAll(new Error(`The file writer worker failed: ${event.message}`));
  };
  const send = (payload: Payload, transfer: Transferable[] = [], onProgress?: Pending['onProgress']) => {
    const id = ++nextId;
    const done = new Promise<Success>((resolve, reject) => {
      if (broken) {
        reject(broken);
        return;
      }
      pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      worker.postMessage({ ...payload, id }, transfer);
    });
    return { id, done };
  };
  const call = (payload: Payload, transfer: Transferable[] = []) => send(payload, transfer).done;
  // A worker per download, ended with it. Kept for the next download instead, the worker's garbage grew
  // from run to run (its collector seldom runs): renderer growth per 1 GiB, verify off, was a median of
  // 61–72 MiB over three runs of `npm run bench:download`, and 35–50 MiB with a fresh worker each time.
  const stop = () => {
    failAll(new Error('The file writer was closed.'));
    worker.terminate();
  };
  // A sync access handle reads back what it wrote; a writable stream's swap file cannot be read before close.
  const readable = options.stream !== true;
  /** What the origin-private file holds: the quota it takes is room for the object that replaces it. */
  let held = 0;
  try {
    held = (await call({ op: 'open', handle, stream: !readable })).size ?? 0;
  } catch {
    stop();
    return undefined;
  }
  let closed = false;
  /** Network failures keep their code (a drop is retried); an aborted signal wins over both. */
  const fetchFailed = (cause: unknown, signal: AbortSignal) => {
    if (signal.aborted) return abortError(signal.reason);
    if (cause instanceof ObjectStoreError) return cause;
    return writeFailed(cause);
  };

  async function fetchHere(request: { url: string; headers: Record<string, string> }, signal: AbortSignal) {
    if (signal.aborted) throw abortError(signal.reason);
    const { id: fetchId, done } = send({ op: 'fetch', url: request.url, headers: request.headers });
    let settled = false;
    // The body is read, piped or dropped: an abort of the request no longer concerns it.
    const settle = () => {
      settled = true;
      signal.removeEventListener('abort', discard);
    };
    const discard = () => {
      if (settled) return;
      settle();
      call({ op: 'discard', fetchId }).catch(() => {});
    };
    signal.addEventListener('abort', discard, { once: true });
    let head: Success;
    try {
      head = await done;
    } catch (cause) {
      discard();
      throw fetchFailed(cause, signal);
    }
    const response: SinkResponse = {
      status: head.status!,
      headers: new Headers(head.headers),
      body: null,
      async text() {
        settle();
        try {
          return (await call({ op: 'text', fetchId })).text ?? '';
        } catch (cause) {
          throw fetchFailed(cause, signal);
        }
      },
      async pipe(range, onWritten, pipeSignal) {
        // Pausing stops the body through the worker, which still writes (and reports) what it already read.
        const stopPipe = () => discard();
        pipeSignal.addEventListener('abort', stopPipe, { once: true });
        try {
          if (pipeSignal.aborted) throw abortError(pipeSignal.reason);
          await send({ op: 'pipe', fetchId, ...range }, [], (progress) =>
            onWritten(progress.written, progress.fetched, progress.busyMs),
          ).done;
        } catch (cause) {
          // Only the piping side's signal: a body dropped with the lanes that made it (a server that ignores
          // Range answers a lane that then stops) fails as `NETWORK`, and the retry asks again.
          throw fetchFailed(cause, pipeSignal);
        } finally {
          pipeSignal.removeEventListener('abort', stopPipe);
          settle();
        }
      },
      discard,
      async shorten(end) {
        return (await call({ op: 'shorten', fetchId, end })).end;
      },
    };
    return response;
  }

  const sink: DownloadSink = {
    positional: true,
    ...(readable
      ? {
          // An origin-private file counts against the origin's quota, its old bytes included; a picked file,
          // written through its swap file, does not. Sized now, the file takes its quota before the first GET.
          async fit(size: number) {
            const room = await roomShortOf(size, held);
            if (room !== undefined) throw doesNotFit(size, room);
            await call({ op: 'truncate', size }).catch((cause) => {
              throw writeFailed(cause);
            });
            held = size;
            return sink;
          },
        }
      : {}),
    async write(chunk, position, options) {
      // The buffer moves to the worker and back when the caller allows it and the chunk spans all of it:
      // a copy per write would leave a MiB of garbage each time, collected late.
      const whole =
        options?.transfer === true &&
        chunk.buffer instanceof ArrayBuffer &&
        chunk.byteOffset === 0 &&
        chunk.byteLength === chunk.buffer.byteLength;
      const bytes = (whole ? chunk : chunk.slice()) as Uint8Array<ArrayBuffer>;
      try {
        const length = bytes.byteLength;
        const reply = await call({ op: 'write', position, bytes }, [bytes.buffer]);
        return whole && reply.buffer ? new Uint8Array(reply.buffer, 0, length) : undefined;
      } catch (cause) {
        throw writeFailed(cause);
      }
    },
    fetch: fetchHere,
    ...(readable
      ? {
          async read(position: number, into: Uint8Array<ArrayBuffer>) {
            const offset = into.byteOffset;
            try {
              const reply = await call({ op: 'read', position, bytes: into }, [into.buffer]);
              return new Uint8Array(reply.buffer!, offset, reply.length);
            } catch (cause) {
              throw writeFailed(cause);
            }
          },
        }
      : {
          async closedFile() {
            if (!closed) throw new Error('The file is read once it is closed.');
            return handle.getFile();
          },
        }),
    async reset() {
      await call({ op: 'truncate', size: 0 }).catch((cause) => {
        throw writeFailed(cause);
      });
      held = 0;
    },
    async close() {
      try {
        await call({ op: 'close' });
        closed = true;
      } catch (cause) {
        throw writeFailed(cause);
      } finally {
        stop();
      }
      return undefined;
    },
    async abort() {
      if (closed) return emptyFile(handle);
      try {
        await call({ op: 'abort' });
      } catch {
        // The worker is gone: the file is as the last write left it.
      } finally {
        stop();
      }
    },
  };
  return sink;
}
