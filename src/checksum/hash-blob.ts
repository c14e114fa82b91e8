import { abortError } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { readBlobChunks } from './blob-reader';
import { createHasher } from './hashers';
import { nextTask } from './next-task';

/**
 * Up to this size SHA files go to `crypto.subtle.digest` in one piece. `npm run bench:checksum` found no
 * speed crossover: from 1 to 64 MiB, subtle including the whole read beat hash-wasm streaming every
 * time (SHA-256 about 2×, SHA-1 about 1.2×, in a worker on 2 cores; native SHA instructions). What limits
 * it is memory: subtle needs the whole file at once and cannot be cancelled, so the cut-off is the
 * memory we accept per worker (16 MiB, 4 workers → 64 MiB at most) rather than a speed threshold.
 */
export const SUBTLE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The next chunk's read only moves while this thread runs tasks: the blob's bytes come through a pipe that
 * the browser fills as this thread drains it. Hashing a whole chunk in one go (17 ms of SHA-256 for 4 MiB)
 * left the pipe full and the reader idle; hashing in slices with a task between them keeps both going.
 * A slice is about 1 ms of hashing here. bench:checksum, 256 MiB Blob, ratio to hash-wasm in memory,
 * before → after: SHA-1 0.80 → 0.92, SHA-256 0.78 → 0.94, CRC32 0.73 → 0.85, CRC32C 0.71 → 0.82.
 * Smaller slices (a yield every 0.3–0.5 ms of SHA) measured worse: the yields cost more than they gain.
 */
const SLICE_BYTES: Record<ChecksumType, number> = {
  SHA1: 512 * 1024,
  SHA256: 256 * 1024,
  CRC32: 512 * 1024,
  CRC32C: 512 * 1024,
};

const SUBTLE_NAMES: Partial<Record<ChecksumType, string>> = { SHA1: 'SHA-1', SHA256: 'SHA-256' };

/**
 * Digests of several small blobs, read as one: each read of a Blob costs a round of IPC with the
 * browser process whatever its size, which for 1 MiB files was most of the hashing's CPU
 * (bench/upload-cpu.ts, 200 × 1 MiB in 2 workers: 970 ms of CPU one read per file, 610 ms 8 per read).
 * SHA only (`crypto.subtle`); the caller keeps the total within {@link SUBTLE_MAX_BYTES}. Each digest
 * is handed to `onDigest` as soon as it is known, so the first file need not wait for the last.
 */
export async function hashBlobs(
  blobs: Blob[],
  type: ChecksumType,
  onDigest: (index: number, digest: Uint8Array) => void,
): Promise<void> {
  const subtleName = SUBTLE_NAMES[type];
  const subtle = globalThis.crypto?.subtle;
  if (!subtleName || !subtle) {
    for (const [i, blob] of blobs.entries()) onDigest(i, await hashBlob(blob, type));
    return;
  }
  const all = new Uint8Array(await new Blob(blobs).arrayBuffer());
  let at = 0;
  for (const [i, blob] of blobs.entries()) {
    onDigest(i, new Uint8Array(await subtle.digest(subtleName, all.subarray(at, at + blob.size))));
    at += blob.size;
  }
}

export interface HashBlobOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, total: number) => void;
  stallTimeoutMs?: number;
  /** Default {@link SUBTLE_MAX_BYTES}; 0 turns the `subtle` path off. */
  subtleMaxBytes?: number;
}

/** The raw digest of the blob's bytes, read in chunks. Runs in the worker and in the in-thread fallback. */
export async function hashBlob(
  blob: Blob,
  type: ChecksumType,
  options: HashBlobOptions = {},
): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  const subtleName = SUBTLE_NAMES[type];
  const subtle = globalThis.crypto?.subtle;
  if (subtleName && subtle && blob.size > 0 && blob.size <= (options.subtleMaxBytes ?? SUBTLE_MAX_BYTES)) {
    // Viewed through this realm's Uint8Array: jsdom's Blob hands out ArrayBuffers of another realm,
    // which Node's `subtle.digest` refuses.
    const digest = new Uint8Array(await subtle.digest(subtleName, new Uint8Array(await blob.arrayBuffer())));
    if (signal?.aborted) throw abortError(signal.reason);
    onProgress?.(blob.size, blob.size);
    return digest;
  }
  const hasher = await createHasher(type);
  let bytesRead = 0;
  const readOptions = {
    signal,
    ...(options.stallTimeoutMs ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
  };
  const slice = SLICE_BYTES[type];
  for await (const chunk of readBlobChunks(blob, readOptions)) {
    for (let at = 0; at < chunk.byteLength; at += slice) {
      hasher.update(chunk.subarray(at, at + slice));
      await nextTask();
    }
    bytesRead += chunk.byteLength;
    onProgress?.(bytesRead, blob.size);
  }
  return hasher.digest();
}
