import { abortError, ObjectStoreError, type ObjectStoreErrorCode } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { hashBlob } from './hash-blob';
import { bytesToBase64 } from './hashers';
import { sharedPool, WorkerJob } from './pool';
import type { FromWorker } from './protocol';
import { assertBlob, assertChecksumType } from './validate';

export interface ComputeChecksumOptions {
  /** Stops reading within one chunk (4 MiB); the promise rejects with `ObjectStoreError` code `ABORTED`. */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far. */
  onProgress?: (bytesRead: number, total: number) => void;
}

/** Internal knobs for tests and the benchmark. */
export interface ComputeChecksumInternals {
  stallTimeoutMs?: number;
  subtleMaxBytes?: number;
}

export function workerError(message: Extract<FromWorker, { kind: 'error' }>): ObjectStoreError {
  const code = (message.code as ObjectStoreErrorCode | undefined) ?? 'INVALID_INPUT';
  return new ObjectStoreError(code, `Could not hash the file: ${message.message}`);
}

/**
 * The checksum of a Blob or File as the store wants it: base64 of the raw digest (CRC32 and CRC32C as
 * 4 big-endian bytes, like S3's `x-amz-checksum-crc32(c)`). Hashes in a pooled Web Worker, reading
 * the blob in 4 MiB chunks, so neither the page nor memory suffers on large files. Where no worker can
 * run (Node, SSR, jsdom, a CSP that blocks it) it hashes on the calling thread with the same result.
 */
export async function computeChecksum(
  blob: Blob,
  type: ChecksumType,
  options: ComputeChecksumOptions & ComputeChecksumInternals = {},
): Promise<string> {
  assertBlob(blob);
  assertChecksumType(type);
  const { signal } = options;
  const pool = sharedPool();
  const pooled = await pool.acquire(signal);
  if (!pooled) return bytesToBase64(await hashBlob(blob, type, options));
  return bytesToBase64(
    await new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        settle();
        job.abort();
        reject(abortError(signal?.reason));
      };
      const job = new WorkerJob(
        pool,
        pooled,
        (message) => {
          if (settled) return;
          if (message.kind === 'progress') options.onProgress?.(message.bytesRead, message.total);
          else if (message.kind === 'done') resolve(message.digest);
          else if (message.kind === 'aborted') reject(abortError(signal?.reason));
          else if (message.kind === 'error') reject(workerError(message));
          if (message.kind !== 'progress') settle();
        },
        () => {
          // The worker died (out of memory, killed): hashing the Blob again here is safe.
          if (settled) return;
          settle();
          hashBlob(blob, type, options).then(resolve, reject);
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      job.post({
        kind: 'hash',
        id: job.id,
        blob,
        type,
        ...(options.stallTimeoutMs ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
        ...(options.subtleMaxBytes !== undefined ? { subtleMaxBytes: options.subtleMaxBytes } : {}),
      });
    }),
  );
}
