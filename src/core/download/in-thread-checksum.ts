import type { IHasher } from 'hash-wasm';
import { abortError } from '../errors';
import type { ChecksumType } from '../types';
import type { ChecksumSession } from './types';

const CRC32C_POLYNOMIAL = 0x82f63b78;

async function createHasher(type: ChecksumType): Promise<IHasher> {
  // Loaded on first use: core stays importable where nothing is ever verified (SSR).
  const hashWasm = await import('hash-wasm');
  if (type === 'SHA1') return hashWasm.createSHA1();
  if (type === 'SHA256') return hashWasm.createSHA256();
  if (type === 'CRC32') return hashWasm.createCRC32();
  return hashWasm.createCRC32(CRC32C_POLYNOMIAL);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Hashes on the calling thread with hash-wasm. Stands in where the worker session of `src/checksum`
 * is not available; the chunks it sees are at most a segment's coalesced writes, so no single update is long.
 */
export function createInThreadChecksumSession(
  type: ChecksumType,
  options: { signal?: AbortSignal } = {},
): ChecksumSession {
  const hasher = createHasher(type).then((h) => {
    h.init();
    return h;
  });
  let aborted = false;
  const check = () => {
    if (aborted || options.signal?.aborted) throw abortError(options.signal?.reason);
  };
  return {
    async update(chunk) {
      const h = await hasher;
      check();
      h.update(chunk);
    },
    async digest() {
      const h = await hasher;
      check();
      return toBase64(h.digest('binary'));
    },
    abort() {
      aborted = true;
    },
  };
}
