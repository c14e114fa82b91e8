import { ObjectStoreError } from '../errors';
import type { OpfsReply, OpfsRequest } from './opfs-protocol';
import type { DownloadSink } from './sinks';

type Pending = { resolve: (reply: OpfsReply & { ok: true }) => void; reject: (error: unknown) => void };
type Payload = OpfsRequest extends infer R ? (R extends OpfsRequest ? Omit<R, 'id'> : never) : never;

function createWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  // Exactly this form, so Vite (ours and a consuming app's) emits the worker as its own file.
  return new Worker(new URL('./opfs-writer.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Opens an origin-private file for writing through a worker's sync access handle, or resolves
 * `undefined` where that is not possible (no workers, a file outside OPFS, a file open elsewhere):
 * the caller then writes with `createWritable()`. Unlike that path, the file is written in place and
 * emptied on `abort`, so a failed download leaves an empty file rather than the old content.
 */
export async function openOpfsSink(handle: FileSystemFileHandle): Promise<DownloadSink | undefined> {
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
  worker.onmessage = (event: MessageEvent<OpfsReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiting) return;
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    failAll(new Error(`The OPFS writer worker failed: ${event.message}`));
  };
  const call = (payload: Payload, transfer: Transferable[] = []) =>
    new Promise<OpfsReply & { ok: true }>((resolve, reject) => {
      if (broken) {
        reject(broken);
        return;
      }
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...payload, id }, transfer);
    });
  const stop = () => {
    worker.terminate();
    failAll(new Error('The OPFS writer was closed.'));
  };
  try {
    await call({ op: 'open', handle });
  } catch {
    stop();
    return undefined;
  }
  const writeFailed = (cause: unknown) =>
    new ObjectStoreError('INVALID_INPUT', 'Could not write to the OPFS file.', { cause, retryable: false });
  return {
    positional: true,
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
    async reset() {
      await call({ op: 'truncate', size: 0 }).catch((cause) => {
        throw writeFailed(cause);
      });
    },
    async close() {
      try {
        await call({ op: 'close' });
      } catch (cause) {
        throw writeFailed(cause);
      } finally {
        stop();
      }
      return undefined;
    },
    async abort() {
      try {
        await call({ op: 'abort' });
      } catch {
        // The worker is gone: the file is as the last write left it.
      } finally {
        stop();
      }
    },
  };
}
