// Node-only: digests of the pseudo-random cases from node:crypto, zlib.crc32 and the table CRC32C.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumType } from '../../core/types';
import { CRC32C_POLYNOMIAL } from '../encoding';
import { pseudoRandomParts } from './pseudo-random';
import { crcToBase64, referenceCrc } from './reference-crc';

export type Digests = Record<ChecksumType, string>;

export function referenceDigests(parts: Iterable<Uint8Array>): Digests {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let crc = 0;
  let crcc = 0;
  for (const part of parts) {
    sha1.update(part);
    sha256.update(part);
    crc = crc32(part, crc);
    crcc = referenceCrc(CRC32C_POLYNOMIAL, part, crcc);
  }
  return {
    SHA1: sha1.digest('base64'),
    SHA256: sha256.digest('base64'),
    CRC32: crcToBase64(crc),
    CRC32C: crcToBase64(crcc),
  };
}

export function referenceDigestsOfCase(seed: number, size: number): Digests {
  return referenceDigests(pseudoRandomParts(seed, size));
}
