import { abortError, ObjectStoreError, type ObjectStoreErrorCode } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { CHUNK_SIZE } from './blob-reader';
import { type CrcType, combineCrc } from './crc-combine';
import { bytesToBase64 } from './encoding';
import { type PooledWorker, sharedPool, WorkerJob, type WorkerPool } from './pool';
import type { FromWorker } from './protocol';
import { createSmallFileHasher, SMALL_FILE_MAX_BYTES } from './small-files';
import { assertBlob, assertChecksumType } from './validate';

export interface ComputeChecksumOptions {
  /** Stops reading within one chunk (2 MiB); the promise rejects with `ObjectStoreError` code `ABORTED`. */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far. */
  onProgress?: (bytesRead: number, total: number) => void;
}

/** Internal knobs for tests and the benchmark. */
export interface ComputeChecksumInternals {
  stallTimeoutMs?: number;
  subtleMaxBytes?: number;
  /** Default {@link SPLIT_MIN_BYTES}; Infinity keeps every file on one worker. */
  splitMinBytes?: number;
}

/**
 * CRC files of at least twice this size are split across free workers and the parts combined.
 */
export const SPLIT_MIN_BYTES = 32 * 1024 * 1024;

export function workerError(message: Extract<FromWorker, { kind: 'error' }>): ObjectStoreError {
  const code = (message.code as ObjectStoreErrorCode | undefined) ?? 'INVALID_INPUT';
  return new ObjectStoreError(code, `Could not hash the file: ${message.message}`);
}

/** The no-worker path (Node, SSR, jsdom, a blocked worker): hash-wasm loads only when it is taken. */
async function hashInThread(
  blob: Blob,
  type: ChecksumType,
  options: Parameters<typeof import('./hash-blob').hashBlob>[2],
): Promise<Uint8Array> {
  const { hashBlob } = await import('./hash-blob');
  return hashBlob(blob, type, options);
}

/**
 * The checksum of a Blob or File as the store wants it: base64 of the raw digest (CRC32 and CRC32C as
 * 4 big-endian bytes, like S3's `x-amz-checksum-crc32(c)`). Hashes in a pooled Web Worker, reading
 * the blob in 2 MiB chunks, so neither the page nor memory suffers on large files. Where no worker can
 * run (Node, SSR, jsdom, a CSP that blocks it) it hashes on the calling thread with the same result.
 */
export async function computeChecksum(
  blob: Blob,
  type: ChecksumType,
  options: ComputeChecksumOptions & ComputeChecksumInternals = {},
): Promise<string> {
  assertBlob(blob);
  assertChecksumType(type);
  const pool = sharedPool();
  if (
    (type === 'SHA1' || type === 'SHA256') &&
    blob.size > 0 &&
    blob.size <= SMALL_FILE_MAX_BYTES &&
    options.stallTimeoutMs === undefined &&
    options.subtleMaxBytes === undefined
  )
    return bytesToBase64(await smallFileHasher(pool)(blob, type, options));
  return bytesToBase64(await hashAlone(pool, blob, type, options));
}

const smallFileHashers = new WeakMap<WorkerPool, ReturnType<typeof createSmallFileHasher>>();

function smallFileHasher(pool: WorkerPool) {
  let hasher = smallFileHashers.get(pool);
  if (!hasher) {
    hasher = createSmallFileHasher(pool, (blob, type, options) => hashAlone(pool, blob, type, options));
    smallFileHashers.set(pool, hasher);
  }
  return hasher;
}

/** A CRC as the 4 big-endian bytes of its digest. */
function crcBytes(crc: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, crc);
  return bytes;
}

/** One file as one job: on a worker (split across several for a large CRC), else on this thread. */
async function hashAlone(
  pool: WorkerPool,
  blob: Blob,
  type: ChecksumType,
  options: ComputeChecksumOptions & ComputeChecksumInternals,
): Promise<Uint8Array> {
  const pooled = await pool.acquire(options.signal);
  if (!pooled) return hashInThread(blob, type, options);
  if (
    (type === 'CRC32' || type === 'CRC32C') &&
    blob.size >= 2 * (options.splitMinBytes ?? SPLIT_MIN_BYTES)
  ) {
    const parts = Math.min(pool.size, Math.floor(blob.size / (options.splitMinBytes ?? SPLIT_MIN_BYTES)));
    const more = await pool.tryAcquire(parts - 1);
    if (more.length > 0) return crcBytes(await hashCrcInParts(pool, [pooled, ...more], blob, type, options));
  }
  return hashOnWorker(pool, pooled, blob, type, options);
}

type Options = ComputeChecksumOptions & ComputeChecksumInternals;

function hashOnWorker(
  pool: WorkerPool,
  pooled: PooledWorker,
  blob: Blob,
  type: ChecksumType,
  options: Options,
): Promise<Uint8Array> {
  const { signal } = options;
  if (signal?.aborted) {
    pool.release(pooled);
    return Promise.reject(abortError(signal.reason));
  }
  return new Promise<Uint8Array>((resolve, reject) => {
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
        hashInThread(blob, type, options).then(resolve, reject);
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
  });
}

/**
 * One CRC from several workers: each hashes a slice, the partial CRCs are joined with `combineCrc`.
 * Slices start on chunk boundaries so every worker reads whole chunks.
 */
async function hashCrcInParts(
  pool: WorkerPool,
  workers: PooledWorker[],
  blob: Blob,
  type: CrcType,
  options: Options,
): Promise<number> {
  const partSize = Math.ceil(blob.size / workers.length / CHUNK_SIZE) * CHUNK_SIZE;
  const inner = new AbortController();
  const stop = () => inner.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const read = workers.map(() => 0);
  try {
    const digests = await Promise.all(
      workers.map((pooled, i) => {
        const part = blob.slice(i * partSize, (i + 1) * partSize);
        return hashOnWorker(pool, pooled, part, type, {
          ...options,
          signal: inner.signal,
          onProgress: (bytesRead) => {
            read[i] = bytesRead;
            options.onProgress?.(
              read.reduce((a, b) => a + b),
              blob.size,
            );
          },
        }).catch((error) => {
          inner.abort(error);
          throw options.signal?.aborted ? abortError(options.signal.reason) : error;
        });
      }),
    );
    let crc = 0;
    digests.forEach((digest, i) => {
      const length = Math.min(partSize, blob.size - i * partSize);
      crc = combineCrc(type, crc, new DataView(digest.buffer, digest.byteOffset).getUint32(0), length);
    });
    return crc;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
