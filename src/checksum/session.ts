import { abortError, ObjectStoreError } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { workerError } from './compute';
import { bytesToBase64 } from './encoding';
import type { Hasher } from './hashers';
import { sharedPool, WorkerJob } from './pool';
import { assertChecksumType } from './validate';

/** Hashes bytes fed in order (a download as it arrives) off the main thread. */
export interface ChecksumSession {
  /**
   * Adds the next bytes. The chunk's buffer may be transferred to the worker (then it is detached
   * here): do not reuse it. Resolves once the bytes are hashed, with the same bytes in a buffer the
   * caller owns again (the one that came back from the worker, or the chunk itself), to be refilled
   * rather than left to the collector. Several updates may be in flight; they are hashed in order.
   */
  update(chunk: Uint8Array): Promise<Uint8Array>;
  /** The checksum of everything fed, as `computeChecksum` gives it. Ends the session. */
  digest(): Promise<string>;
  /** Drops the session and frees its worker; pending calls reject with `ABORTED`. */
  abort(): void;
}

export interface ChecksumSessionOptions {
  /** Aborting it is `abort()`. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (value: string | Uint8Array | undefined) => void;
  reject: (error: unknown) => void;
}

/** A worker-owned buffer to send: the chunk's own when it is the whole buffer, else a copy. */
function transferable(chunk: Uint8Array): { bytes: Uint8Array; transfer: Transferable[] } {
  const { buffer } = chunk;
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) {
    return { bytes: chunk, transfer: [buffer] };
  }
  const bytes = chunk.slice();
  return { bytes, transfer: [bytes.buffer] };
}

/**
 * An incremental checksum, hashed in a pooled worker (one worker per session, held until `digest()`
 * or `abort()`: always end a session), or on the calling thread where no worker can run.
 */
export function createChecksumSession(
  type: ChecksumType,
  options: ChecksumSessionOptions = {},
): ChecksumSession {
  assertChecksumType(type);
  const { signal } = options;
  const pool = sharedPool();
  let state: 'open' | 'digesting' | 'over' = 'open';
  let failure: unknown;
  const pending: Pending[] = [];
  let job: WorkerJob | undefined;

  const failAll = (error: unknown) => {
    failure ??= error;
    state = 'over';
    for (const p of pending.splice(0)) p.reject(error);
  };

  // Where no worker runs, hash here; the chain keeps the order of updates.
  let local: Promise<Hasher> | undefined;

  const ready = pool.acquire(signal).then(
    (pooled) => {
      if (!pooled) {
        local = import('./hashers').then(({ createHasher }) => createHasher(type));
        return;
      }
      if (state === 'over') {
        pool.release(pooled);
        return;
      }
      job = new WorkerJob(
        pool,
        pooled,
        (message) => {
          if (message.kind === 'ack') pending.shift()?.resolve(message.chunk);
          else if (message.kind === 'done') pending.shift()?.resolve(bytesToBase64(message.digest));
          else if (message.kind === 'aborted') failAll(abortError(signal?.reason));
          else if (message.kind === 'error') failAll(workerError(message));
          if (message.kind === 'done') state = 'over';
        },
        (error) =>
          failAll(
            new ObjectStoreError('INVALID_INPUT', `The checksum worker failed: ${error.message}`, {
              cause: error,
            }),
          ),
      );
      job.post({ kind: 'session-start', id: job.id, type });
    },
    (error) => failAll(error),
  );

  const onAbort = () => abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  function enqueue(send: () => void): Promise<string | Uint8Array | undefined> {
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject };
      pending.push(entry);
      void ready.then(() => {
        if (state === 'over' && failure !== undefined) return;
        send();
      });
    });
  }

  function refuse(): Promise<never> {
    return Promise.reject(
      failure ?? new ObjectStoreError('INVALID_INPUT', 'This checksum session has already been digested.'),
    );
  }

  function abort(): void {
    if (state === 'over') return;
    signal?.removeEventListener('abort', onAbort);
    failAll(abortError(signal?.reason));
    job?.abort();
  }

  return {
    update(chunk) {
      if (!(chunk instanceof Uint8Array)) {
        return Promise.reject(new ObjectStoreError('INVALID_INPUT', 'update() takes a Uint8Array.'));
      }
      if (state !== 'open') return refuse();
      const { bytes, transfer } = transferable(chunk);
      return enqueue(() => {
        if (job) job.post({ kind: 'session-update', id: job.id, chunk: bytes }, transfer);
        else
          void local!.then((hasher) => {
            hasher.update(bytes);
            pending.shift()?.resolve(bytes);
          });
      }) as Promise<Uint8Array>;
    },
    digest() {
      if (state !== 'open') return refuse();
      state = 'digesting';
      signal?.removeEventListener('abort', onAbort);
      return enqueue(() => {
        if (job) job.post({ kind: 'session-digest', id: job.id });
        else
          void local!.then((hasher) => {
            state = 'over';
            pending.shift()?.resolve(bytesToBase64(hasher.digest()));
          });
      }).then((digest) => digest as string);
    },
    abort,
  };
}
