import { abortError } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { nextTask } from './next-task';
import { WorkerJob, type WorkerPool } from './pool';

/** SHA files up to this size wait to be read together with others (see `hashBlobs`). */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Bytes one batch reads. bench/upload-cpu.ts, 200 × 1 MiB: CPU of reading and hashing was 700 ms 4
 * files per read, 580–610 ms for 8, 16 or 32; and the first file of a batch waits for the whole read,
 * which at the start of a queue is time every transfer slot stands idle.
 */
const BATCH_MAX_BYTES = 8 * 1024 * 1024;

export interface SmallFileOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, total: number) => void;
}

/** Hashes one file on its own (a worker job, or the calling thread): the fallback of a failed batch. */
export type HashAlone = (blob: Blob, type: ChecksumType, options: SmallFileOptions) => Promise<Uint8Array>;

interface Waiting {
  readonly blob: Blob;
  readonly type: ChecksumType;
  readonly options: SmallFileOptions;
  settled: boolean;
  resolve(digest: Uint8Array): void;
  reject(error: unknown): void;
}

/**
 * Small SHA files queue here; each free worker (but one) takes all that queued of one type, up to
 * `BATCH_MAX_BYTES` in all, and reads them as one Blob. Files
 * only wait while every worker is busy, so nothing waits for a batch to fill. A batch that fails (a
 * File gone from disk) hashes its files one by one, so the error lands on the file it belongs to.
 */
export function createSmallFileHasher(pool: WorkerPool, alone: HashAlone) {
  const queue: Waiting[] = [];
  let draining = 0;

  function settle(entry: Waiting, outcome: { digest: Uint8Array } | { error: unknown }): void {
    if (entry.settled) return;
    entry.settled = true;
    if ('digest' in outcome) {
      entry.options.onProgress?.(entry.blob.size, entry.blob.size);
      entry.resolve(outcome.digest);
    } else entry.reject(outcome.error);
  }

  /** Oldest first, one type, within {@link BATCH_MAX_BYTES}. */
  function takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    let bytes = 0;
    for (let i = 0; i < queue.length; ) {
      const entry = queue[i]!;
      if (entry.settled) {
        queue.splice(i, 1);
        continue;
      }
      const fits =
        batch.length === 0 || (entry.type === batch[0]!.type && bytes + entry.blob.size <= BATCH_MAX_BYTES);
      if (!fits) {
        i += 1;
        continue;
      }
      batch.push(entry);
      bytes += entry.blob.size;
      queue.splice(i, 1);
    }
    return batch;
  }

  function one(entry: Waiting): Promise<void> {
    return alone(entry.blob, entry.type, entry.options).then(
      (digest) => settle(entry, { digest }),
      (error: unknown) => settle(entry, { error }),
    );
  }

  function onWorker(pooled: NonNullable<Awaited<ReturnType<WorkerPool['acquire']>>>, batch: Waiting[]) {
    return new Promise<void>((resolve) => {
      const fallBack = () =>
        void Promise.all(batch.filter((entry) => !entry.settled).map(one)).then(() => resolve());
      const job = new WorkerJob(
        pool,
        pooled,
        (message) => {
          if (message.kind === 'digest-of') {
            const entry = batch[message.index];
            if (entry) settle(entry, { digest: message.digest });
          } else if (message.kind === 'done-many') resolve();
          else if (message.kind !== 'progress') fallBack();
        },
        // The worker died: hashing each file again on its own is safe.
        fallBack,
      );
      job.post({
        kind: 'hash-many',
        id: job.id,
        blobs: batch.map((entry) => entry.blob),
        type: batch[0]!.type,
      });
    });
  }

  async function drain(): Promise<void> {
    draining += 1;
    try {
      while (queue.some((entry) => !entry.settled)) {
        const pooled = await pool.acquire();
        // Files asked for in the same task as this one (a queue refilling) join its batch.
        await nextTask();
        const batch = takeBatch();
        if (batch.length === 0) {
          if (pooled) pool.release(pooled);
          break;
        }
        if (pooled) await onWorker(pooled, batch);
        else await Promise.all(batch.map(one));
      }
    } finally {
      draining -= 1;
    }
  }

  return function hashSmallFile(
    blob: Blob,
    type: ChecksumType,
    options: SmallFileOptions,
  ): Promise<Uint8Array> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = () => settle(entry, { error: abortError(signal?.reason) });
      const entry: Waiting = {
        blob,
        type,
        options,
        settled: false,
        resolve: (digest) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(digest);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      // One worker is kept out of these batches (where there are two or more): a queue of small files
      // then never takes every core from the transfers it feeds. bench:upload (b), 200 × 1 MiB on
      // 2 cores: 0.76–0.85 of raw PUTs' throughput with both workers, 0.80–0.86 with one.
      if (draining < Math.max(1, pool.size - 1)) void drain();
    });
  };
}
