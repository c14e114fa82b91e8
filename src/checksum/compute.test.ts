// The in-thread fallback: Node has no Worker, so computeChecksum hashes on the calling thread.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isObjectStoreError } from '../core/errors';
import { CHECKSUM_TYPES, type ChecksumType } from '../core/types';
import { CHUNK_SIZE } from './blob-reader';
import { SUBTLE_MAX_BYTES } from './hash-blob';
import { computeChecksum } from './index';
import { SMALL_CASES, seedFor } from './testing/cases';
import { chunkedReadCases } from './testing/chunked-read-cases';
import { pseudoRandomBlob } from './testing/pseudo-random';
import table from './testing/reference-digests.json';

const check = new Blob(['123456789']);

describe('computeChecksum without a Worker (Node)', () => {
  it('gives the published check values', async () => {
    expect(await computeChecksum(check, 'CRC32')).toBe(Buffer.from('cbf43926', 'hex').toString('base64'));
    expect(await computeChecksum(check, 'CRC32C')).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
    expect(await computeChecksum(check, 'SHA1')).toBe(
      createHash('sha1').update('123456789').digest('base64'),
    );
    expect(await computeChecksum(check, 'SHA256')).toBe(
      createHash('sha256').update('123456789').digest('base64'),
    );
  });

  for (const size of SMALL_CASES) {
    it(`equals Node's digests for ${size} bytes`, async () => {
      const blob = pseudoRandomBlob(seedFor(size), size);
      const expected = table[String(size) as keyof typeof table];
      for (const type of CHECKSUM_TYPES) {
        expect(await computeChecksum(blob, type), type).toBe(expected[type]);
        // Past the subtle cut-off the SHA path streams through hash-wasm: same answer.
        expect(await computeChecksum(blob, type, { subtleMaxBytes: 0 }), type).toBe(expected[type]);
      }
    });
  }

  chunkedReadCases('CRC32C', SUBTLE_MAX_BYTES + 3 * CHUNK_SIZE);

  it('rejects at once when the signal is already aborted', async () => {
    const error = await computeChecksum(check, 'SHA1', { signal: AbortSignal.abort() }).catch((e) => e);
    expect(isObjectStoreError(error) && error.code).toBe('ABORTED');
  });

  it('rejects bad input with INVALID_INPUT', async () => {
    await expect(computeChecksum(check, 'MD5' as ChecksumType)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(computeChecksum('text' as unknown as Blob, 'SHA1')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
