// Real Chromium: computeChecksum in the worker pool gives the digests Node computed for the same bytes.
import { describe, expect, it } from 'vitest';
import { CHECKSUM_TYPES } from '../core/types';
import { CHUNK_SIZE } from './blob-reader';
import { SUBTLE_MAX_BYTES } from './hash-blob';
import { computeChecksum } from './index';
import { sharedPool } from './pool';
import { SMALL_CASES, seedFor } from './testing/cases';
import { chunkedReadCases } from './testing/chunked-read-cases';
import { pseudoRandomBlob } from './testing/pseudo-random';
import table from './testing/reference-digests.json';

const expected = (size: number) => table[String(size) as keyof typeof table];

describe('computeChecksum in a worker', () => {
  it('gives the published check values', async () => {
    const check = new Blob(['123456789']);
    expect(await computeChecksum(check, 'CRC32')).toBe(btoa('\xcb\xf4\x39\x26'));
    expect(await computeChecksum(check, 'CRC32C')).toBe(btoa('\xe3\x06\x92\x83'));
    expect(sharedPool().workerCount).toBeGreaterThan(0);
  });

  for (const size of SMALL_CASES) {
    it(`equals Node's digests for ${size} bytes`, async () => {
      const blob = pseudoRandomBlob(seedFor(size), size);
      const results = await Promise.all(
        CHECKSUM_TYPES.flatMap((type) => [
          computeChecksum(blob, type).then((digest) => [type, digest]),
          computeChecksum(blob, type, { subtleMaxBytes: 0 }).then((digest) => [type, digest]),
        ]),
      );
      for (const [type, digest] of results) expect(digest, type).toBe(expected(size)[type as 'SHA1']);
    });
  }

  chunkedReadCases('CRC32', SUBTLE_MAX_BYTES + 4 * CHUNK_SIZE);
});
