import { createHash, type Hash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { ChecksumType } from '../core/types';

/** Incremental digest of one of the contract's checksum types; `digest()` is base64 of the raw digest. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/**
 * Slicing-by-8 tables for a reflected CRC-32 polynomial: eight bytes per step instead of one,
 * which is what makes a pure-JS CRC usable on a 1 GiB upload.
 */
function crcTables(polynomial: number): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

function crcUpdater(polynomial: number): (crc: number, data: Uint8Array) => number {
  const t = crcTables(polynomial);
  return (previous, data) => {
    let crc = ~previous;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    while (i < end8) {
      const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      crc =
        t[1792 + (lo & 0xff)]! ^
        t[1536 + ((lo >>> 8) & 0xff)]! ^
        t[1280 + ((lo >>> 16) & 0xff)]! ^
        t[1024 + (lo >>> 24)]! ^
        t[768 + data[i + 4]!]! ^
        t[512 + data[i + 5]!]! ^
        t[256 + data[i + 6]!]! ^
        t[data[i + 7]!]!;
      i += 8;
    }
    while (i < data.length) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
    return ~crc >>> 0;
  };
}

/** CRC-32C (Castagnoli); Node has no native one. Call with the previous value to continue. */
export const crc32c: (crc: number, data: Uint8Array) => number = crcUpdater(0x82f63b78);

/** Table-driven CRC-32 for Node versions without `zlib.crc32`. */
export const crc32Portable: (crc: number, data: Uint8Array) => number = crcUpdater(0xedb88320);
// zlib.crc32 arrived in Node 20.15 / 22.2; older 20.x get the table-driven one.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
/** CRC-32 (IEEE, as zlib and gzip), native when the running Node has it. */
export const crc32: (crc: number, data: Uint8Array) => number = nativeCrc32
  ? (crc, data) => nativeCrc32(data, crc)
  : crc32Portable;

function crcHasher(update: (crc: number, data: Uint8Array) => number): Hasher {
  let value = 0;
  return {
    update(chunk) {
      value = update(value, chunk);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

function nodeHasher(hash: Hash): Hasher {
  return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest('base64') };
}

export function createHasher(type: ChecksumType): Hasher {
  switch (type) {
    case 'SHA1':
      return nodeHasher(createHash('sha1'));
    case 'SHA256':
      return nodeHasher(createHash('sha256'));
    case 'CRC32':
      return crcHasher(crc32);
    case 'CRC32C':
      return crcHasher(crc32c);
  }
}

/** Checksum of a whole buffer, base64 of the raw digest (tests, small payloads). */
export function checksumOf(type: ChecksumType, data: Uint8Array): string {
  const hasher = createHasher(type);
  hasher.update(data);
  return hasher.digest();
}
