// Cases the worker (browser) and the in-thread fallback (Node) must both pass: one definition, run in each.
import { expect, it } from 'vitest';
import type { ChecksumType } from '../../core/types';
import { CHUNK_SIZE } from '../blob-reader';
import { computeChecksum } from '../index';
import { pseudoRandomBlob } from './pseudo-random';

/**
 * Progress per chunk and abort within one chunk. `abortSize` must be past the size that goes to
 * `crypto.subtle` in one piece, which cannot stop midway.
 */
export function chunkedReadCases(progressType: ChecksumType, abortSize: number): void {
  it('reports progress per chunk up to the total', async () => {
    const size = 2 * CHUNK_SIZE + 10;
    const seen: Array<[number, number]> = [];
    await computeChecksum(pseudoRandomBlob(1, size), progressType, {
      onProgress: (r, t) => seen.push([r, t]),
    });
    expect(seen).toEqual([
      [CHUNK_SIZE, size],
      [2 * CHUNK_SIZE, size],
      [size, size],
    ]);
  });

  it('rejects with ABORTED within one chunk', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const promise = computeChecksum(pseudoRandomBlob(2, abortSize), 'SHA256', {
      signal: controller.signal,
      onProgress: (read) => {
        progress.push(read);
        if (read === CHUNK_SIZE) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'ObjectStoreError', code: 'ABORTED' });
    expect(progress).toEqual([CHUNK_SIZE]);
  });
}
