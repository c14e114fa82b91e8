import { createCRC32, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { ChecksumType } from '../core/types';

const CRC32C_POLYNOMIAL = 0x82f63b78;

/** An in-thread hasher for one of the contract's checksum types (the memory store's PUT check). */
export function createHasher(type: ChecksumType): Promise<IHasher> {
  switch (type) {
    case 'SHA1':
      return createSHA1();
    case 'SHA256':
      return createSHA256();
    case 'CRC32':
      return createCRC32();
    case 'CRC32C':
      return createCRC32(CRC32C_POLYNOMIAL);
  }
}

/** Base64 of the raw digest; hash-wasm's CRC digests are already the 4 big-endian bytes. */
export function digestBase64(hasher: IHasher): string {
  let binary = '';
  for (const byte of hasher.digest('binary')) binary += String.fromCharCode(byte);
  return btoa(binary);
}
