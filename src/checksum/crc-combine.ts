// zlib's crc32_combine (the x^(8n) mod P form of zlib 1.2.12), for either reflected polynomial:
// CRC(A·B) from CRC(A), CRC(B) and |B|, so parts of a file can be hashed apart and joined.
import { ObjectStoreError } from '../core/errors';
import type { ChecksumType } from '../core/types';
import { CRC32_POLYNOMIAL, CRC32C_POLYNOMIAL } from './encoding';

/** a·b mod P over GF(2), bit-reflected (x^0 is the top bit). */
function multiplyModP(a: number, b: number, polynomial: number): number {
  let product = 0;
  let m = 0x80000000;
  for (;;) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ polynomial : b >>> 1;
  }
  return product >>> 0;
}

const powerTables = new Map<number, Uint32Array>();

/**
 * x^(2^k) mod P for k = 0..63. zlib keeps 32 and wraps k, which holds for CRC-32's polynomial but not
 * for CRC-32C's: lengths of 512 MiB and more (k = 3 + 29) need the entries past 31.
 */
function powers(polynomial: number): Uint32Array {
  let table = powerTables.get(polynomial);
  if (!table) {
    table = new Uint32Array(64);
    let p = 0x40000000; // x^1
    table[0] = p;
    for (let k = 1; k < 64; k++) table[k] = p = multiplyModP(p, p, polynomial);
    powerTables.set(polynomial, table);
  }
  return table;
}

/** x^(n·2^k) mod P; n may exceed 2^32. */
function xPowerModP(n: number, k: number, polynomial: number): number {
  const table = powers(polynomial);
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(table[k]!, p, polynomial);
    n = Math.floor(n / 2);
    k += 1;
  }
  return p;
}

/**
 * The CRC of A followed by B, from `crcA`, `crcB` (as unsigned 32-bit numbers) and B's length in bytes.
 * Lets a large file's CRC32/CRC32C be computed in parts (in parallel, or as ranges arrive out of order).
 */
export function combineCrc(type: 'CRC32' | 'CRC32C', crcA: number, crcB: number, lengthB: number): number {
  if (type !== 'CRC32' && type !== 'CRC32C') {
    throw new ObjectStoreError(
      'INVALID_INPUT',
      `combineCrc works for CRC32 and CRC32C, not ${String(type)}.`,
    );
  }
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
    throw new ObjectStoreError('INVALID_INPUT', `combineCrc needs a byte length, got ${lengthB}.`);
  }
  const polynomial = type === 'CRC32' ? CRC32_POLYNOMIAL : CRC32C_POLYNOMIAL;
  // Shifting by 8·len bits is x^(len·2^3).
  return (multiplyModP(xPowerModP(lengthB, 3, polynomial), crcA >>> 0, polynomial) ^ (crcB >>> 0)) >>> 0;
}

/** The checksum string (base64 of 4 big-endian bytes) as a number, and back. */
export function crcFromBase64(checksum: string): number {
  const binary = atob(checksum);
  if (binary.length !== 4) throw new ObjectStoreError('INVALID_INPUT', `Not a CRC checksum: ${checksum}`);
  return (
    ((binary.charCodeAt(0) << 24) |
      (binary.charCodeAt(1) << 16) |
      (binary.charCodeAt(2) << 8) |
      binary.charCodeAt(3)) >>>
    0
  );
}

export function crcToBase64(crc: number): string {
  return btoa(String.fromCharCode(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff));
}

export type CrcType = Extract<ChecksumType, 'CRC32' | 'CRC32C'>;
