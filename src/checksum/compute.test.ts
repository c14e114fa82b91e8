// The in-thread fallback: Node has no Worker, so computeChecksum hashes on the calling thread.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isObjectStoreError } from '../core/errors';
import { CHECKSUM_TYPES, type ChecksumType } from '../core/types';
import { CHUNK_SIZE } from './blob-reader';
import { SUBTLE_MAX_BYTES } from './hash-blob';
import { computeChecksum } from './index';
import { SMALL_CASES, seedFor } from './testing/cases';
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

  it('reports progress per chunk up to the total', async () => {
    const size = 2 * CHUNK_SIZE + 10;
    const seen: Array<[number, number]> = [];
    await computeChecksum(pseudoRandomBlob(1, size), 'CRC32C', { onProgress: (r, t) => seen.push([r, t]) });
    expect(seen).toEqual([
      [CHUNK_SIZE, size],
      [2 * CHUNK_SIZE, size],
      [size, size],
    ]);
  });

  it('rejects with ABORTED within one chunk', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    // Past the size that goes to `crypto.subtle` in one piece, which cannot stop midway.
    const promise = computeChecksum(pseudoRandomBlob(2, SUBTLE_MAX_BYTES + 3 * CHUNK_SIZE), 'SHA256', {
      signal: controller.signal,
      onProgress: (read) => {
        progress.push(read);
        if (read === CHUNK_SIZE) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'ObjectStoreError', code: 'ABORTED' });
    expect(progress).toEqual([CHUNK_SIZE]);
  });

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
