import { createCRC32, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { ChecksumType } from '../core/types';
import { CRC32_POLYNOMIAL, CRC32C_POLYNOMIAL } from './encoding';

/** Incremental hasher over hash-wasm; `digest` returns the raw bytes (CRCs big-endian, as S3 sends them). */
export interface Hasher {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

function wasmHasher(type: ChecksumType): Promise<IHasher> {
  switch (type) {
    case 'SHA1':
      return createSHA1();
    case 'SHA256':
      return createSHA256();
    case 'CRC32':
      return createCRC32(CRC32_POLYNOMIAL);
    case 'CRC32C':
      return createCRC32(CRC32C_POLYNOMIAL);
  }
}

export async function createHasher(type: ChecksumType): Promise<Hasher> {
  const hasher = await wasmHasher(type);
  hasher.init();
  return {
    update(bytes) {
      hasher.update(bytes);
    },
    digest: () => hasher.digest('binary'),
  };
}
