// The worker pool in real Chromium: parallel files, reuse after abort, idle ending, a worker that cannot start.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECKSUM_TYPES } from '../core/types';
import { CHUNK_SIZE } from './blob-reader';
import { computeChecksum, configureChecksums } from './index';
import { sharedPool } from './pool';
import type { ToWorker } from './protocol';
import { SMALL_FILE_MAX_BYTES } from './small-files';
import { LARGE_CASE, SMALL_CASES, seedFor } from './testing/cases';
import { pseudoRandomBlob } from './testing/pseudo-random';
import table from './testing/reference-digests.json';

const expected = (size: number) => table[String(size) as keyof typeof table];
const medium = SMALL_CASES.at(-1)!;

let created = 0;
const countingWorker = () => {
  created += 1;
  return new Worker(new URL('./checksum.worker.ts', import.meta.url), { type: 'module' });
};

/** A pool worker whose `hash-many` jobs are recorded, and the first `failFirst` of them answered with an error. */
function batchWatchingWorker(batches: number[], failFirst = 0) {
  return () => {
    const worker = countingWorker();
    const post = worker.postMessage.bind(worker);
    worker.postMessage = ((message: ToWorker, transfer: Transferable[] = []) => {
      if (message.kind === 'hash-many') {
        batches.push(message.blobs.length);
        if (batches.length <= failFirst) {
          const data = { kind: 'error', id: message.id, message: 'NotReadableError: gone' };
          queueMicrotask(() => worker.onmessage?.(new MessageEvent('message', { data })));
          return;
        }
      }
      post(message, transfer);
    }) as Worker['postMessage'];
    return worker;
  };
}

/** No worker left from earlier tests (one may still be finishing a batch whose digests were all used). */
async function emptyPool(): Promise<void> {
  await vi.waitFor(() => {
    sharedPool().terminateIdle();
    expect(sharedPool().workerCount).toBe(0);
  });
  created = 0;
}

const smallSizes = SMALL_CASES.filter((size) => size > 0 && size <= SMALL_FILE_MAX_BYTES);

afterEach(() => {
  sharedPool().terminateIdle();
  created = 0;
});

describe('checksum worker pool', () => {
  it('hashes several files in parallel, one per worker', async () => {
    configureChecksums({ poolSize: 2, createWorker: countingWorker });
    const blob = pseudoRandomBlob(seedFor(medium), medium);
    const digests = await Promise.all(CHECKSUM_TYPES.map((type) => computeChecksum(blob, type)));
    expect(digests).toEqual(CHECKSUM_TYPES.map((type) => expected(medium)[type]));
    expect(created).toBe(2);
  });

  it('frees the worker on abort, and the next job on it is right', async () => {
    configureChecksums({ poolSize: 1, createWorker: countingWorker });
    const size = 8 * CHUNK_SIZE;
    const controller = new AbortController();
    const aborted = computeChecksum(pseudoRandomBlob(5, size), 'SHA1', {
      signal: controller.signal,
      subtleMaxBytes: 0,
      onProgress: () => controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    const blob = pseudoRandomBlob(seedFor(medium), medium);
    expect(await computeChecksum(blob, 'SHA1', { subtleMaxBytes: 0 })).toBe(expected(medium).SHA1);
    expect(await computeChecksum(blob, 'CRC32C')).toBe(expected(medium).CRC32C);
    expect(created).toBe(1);
    expect(sharedPool().workerCount).toBe(1);
  });

  it('a job queued behind a full pool can be aborted before it starts', async () => {
    configureChecksums({ poolSize: 1, createWorker: countingWorker });
    const blob = pseudoRandomBlob(seedFor(medium), medium);
    const first = computeChecksum(blob, 'SHA256', { subtleMaxBytes: 0 });
    const controller = new AbortController();
    const queued = computeChecksum(blob, 'SHA256', { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await first).toBe(expected(medium).SHA256);
  });

  it('reads small SHA files queued behind a busy pool together, each with its own digest', async () => {
    const batches: number[] = [];
    await emptyPool();
    configureChecksums({ poolSize: 1, createWorker: batchWatchingWorker(batches) });
    const jobs = smallSizes.flatMap((size) =>
      (['SHA1', 'SHA256'] as const).map(async (type) => {
        const digest = await computeChecksum(pseudoRandomBlob(seedFor(size), size), type);
        return [size, type, digest] as const;
      }),
    );
    const controller = new AbortController();
    const aborted = computeChecksum(pseudoRandomBlob(3, 1000), 'SHA256', { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    for (const [size, type, digest] of await Promise.all(jobs)) expect(digest).toBe(expected(size)[type]);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(created).toBe(1);
  });

  it('keeps one worker of two out of small-file batches, for the transfers and for large files', async () => {
    await emptyPool();
    let running = 0;
    let most = 0;
    configureChecksums({
      poolSize: 2,
      createWorker: () => {
        const worker = countingWorker();
        const post = worker.postMessage.bind(worker);
        worker.postMessage = ((message: ToWorker, transfer: Transferable[] = []) => {
          if (message.kind === 'hash-many') most = Math.max(most, ++running);
          post(message, transfer);
        }) as Worker['postMessage'];
        worker.addEventListener('message', (event: MessageEvent<{ kind: string }>) => {
          if (event.data.kind === 'done-many') running -= 1;
        });
        return worker;
      },
    });
    const sizes = Array.from({ length: 24 }, (_, i) => smallSizes[i % smallSizes.length]!);
    const digests = await Promise.all(
      sizes.map((size) => computeChecksum(pseudoRandomBlob(seedFor(size), size), 'SHA256')),
    );
    expect(digests).toEqual(sizes.map((size) => expected(size).SHA256));
    expect(most).toBe(1);
    // The other worker is there for a large file.
    expect(await computeChecksum(pseudoRandomBlob(seedFor(medium), medium), 'SHA256')).toBe(
      expected(medium).SHA256,
    );
  });

  it('hashes each file of a batch that failed on its own, so the digests are still right', async () => {
    const batches: number[] = [];
    await emptyPool();
    configureChecksums({ poolSize: 1, createWorker: batchWatchingWorker(batches, 1) });
    const jobs = smallSizes.map(async (size) => [
      size,
      await computeChecksum(pseudoRandomBlob(seedFor(size), size), 'SHA256'),
    ]);
    for (const [size, digest] of await Promise.all(jobs))
      expect(digest).toBe(expected(size as number).SHA256);
    expect(batches[0]).toBeGreaterThan(1);
  });

  it('ends idle workers after idleTimeoutMs', async () => {
    configureChecksums({ poolSize: 2, idleTimeoutMs: 50, createWorker: countingWorker });
    await computeChecksum(new Blob(['x']), 'CRC32');
    expect(created).toBe(1);
    await vi.waitFor(() => expect(sharedPool().workerCount).toBe(0), { timeout: 5000 });
    configureChecksums({ idleTimeoutMs: 15_000 });
  });

  it('hashes on the calling thread when the worker cannot start (CSP, 404)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    configureChecksums({ createWorker: () => new Worker('/no-such-checksum-worker.js', { type: 'module' }) });
    const blob = pseudoRandomBlob(seedFor(medium), medium);
    for (const type of CHECKSUM_TYPES) expect(await computeChecksum(blob, type)).toBe(expected(medium)[type]);
    expect(sharedPool().workerCount).toBe(0);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    configureChecksums({ createWorker: countingWorker });
    expect(await computeChecksum(blob, 'CRC32')).toBe(expected(medium).CRC32);
    expect(created).toBe(1);
  });

  it('splits one large CRC across free workers and combines the parts', async () => {
    configureChecksums({ poolSize: 3, createWorker: countingWorker });
    const blob = pseudoRandomBlob(seedFor(medium), medium);
    for (const type of ['CRC32', 'CRC32C'] as const) {
      const progress: number[] = [];
      const digest = await computeChecksum(blob, type, {
        splitMinBytes: 2 * 2 ** 20,
        onProgress: (read, total) => {
          expect(total).toBe(medium);
          progress.push(read);
        },
      });
      expect(digest).toBe(expected(medium)[type]);
      expect(progress.at(-1)).toBe(medium);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    }
    expect(created).toBe(3);
    const controller = new AbortController();
    const aborted = computeChecksum(pseudoRandomBlob(9, 24 * CHUNK_SIZE), 'CRC32C', {
      splitMinBytes: 4 * CHUNK_SIZE,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await computeChecksum(blob, 'CRC32C', { splitMinBytes: 2 * 2 ** 20 })).toBe(
      expected(medium).CRC32C,
    );
    expect(created).toBe(3);
  });

  it(`equals Node's digests on a ${LARGE_CASE / 2 ** 20} MiB in-page blob`, async () => {
    configureChecksums({ poolSize: 2, createWorker: countingWorker });
    const blob = pseudoRandomBlob(seedFor(LARGE_CASE), LARGE_CASE);
    const digests = await Promise.all(CHECKSUM_TYPES.map((type) => computeChecksum(blob, type)));
    expect(digests).toEqual(CHECKSUM_TYPES.map((type) => expected(LARGE_CASE)[type]));
    // Alone, a CRC is split across both workers.
    for (const type of ['CRC32', 'CRC32C'] as const) {
      expect(await computeChecksum(blob, type)).toBe(expected(LARGE_CASE)[type]);
    }
  });
});
