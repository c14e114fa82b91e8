import { abortError } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { readBlobChunks } from './blob-reader';
import { createHasher } from './hashers';

/**
 * Up to this size SHA files go to `crypto.subtle.digest` in one piece: faster than hash-wasm even with
 * the whole read, and the memory is small. Crossover measured by `npm run bench:checksum` (see there).
 */
export const SUBTLE_MAX_BYTES = 16 * 1024 * 1024;

const SUBTLE_NAMES: Partial<Record<ChecksumType, string>> = { SHA1: 'SHA-1', SHA256: 'SHA-256' };

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
    const digest = new Uint8Array(await subtle.digest(subtleName, await blob.arrayBuffer()));
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
  for await (const chunk of readBlobChunks(blob, readOptions)) {
    hasher.update(chunk);
    bytesRead += chunk.byteLength;
    onProgress?.(bytesRead, blob.size);
  }
  return hasher.digest();
}
