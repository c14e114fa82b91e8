// Runs in the benchmarked page; bench/checksum.ts drives it through `window.bench`.
import { computeChecksum } from '../src/checksum';
import { pseudoRandomBlob } from '../src/checksum/testing/pseudo-random';
import type { ChecksumType } from '../src/core/types';
import type { BenchRequest } from './checksum-bench.worker';
import { watchGaps } from './main-thread-gaps';

let blob: Blob | undefined;
let ceilings: Worker | undefined;

function ask(request: BenchRequest): Promise<number> {
  ceilings ??= new Worker(new URL('./checksum-bench.worker.ts', import.meta.url), { type: 'module' });
  const worker = ceilings;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ ms?: number; error?: string }>) =>
      event.data.error ? reject(new Error(event.data.error)) : resolve(event.data.ms!);
    worker.postMessage(request);
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const bench = {
  makeBlob(size: number) {
    blob = pseudoRandomBlob(0xbe7c4, size);
    return ask({ kind: 'load', blob });
  },
  dropBlob() {
    blob = undefined;
    ceilings?.terminate();
    ceilings = undefined;
  },
  compute: (type: ChecksumType, subtleMaxBytes?: number, splitMinBytes?: number) =>
    timed(() =>
      computeChecksum(blob!, type, {
        ...(subtleMaxBytes === undefined ? {} : { subtleMaxBytes }),
        ...(splitMinBytes === undefined ? {} : { splitMinBytes }),
      }),
    ),
  inMemory: (type: ChecksumType) => ask({ kind: 'in-memory', type }),
  subtle: (type: ChecksumType, includeRead: boolean) =>
    ask({ kind: 'subtle', type, includeRead, blob: blob! }),
  read: () => ask({ kind: 'read', blob: blob! }),
  /** Starts every pool worker (a CRC job of a 64 MiB+ file splits across all of them). */
  async warmPool() {
    const tiny = new Blob(['warm']);
    const cores = Math.min(navigator.hardwareConcurrency || 2, 4);
    await Promise.all(Array.from({ length: cores }, () => computeChecksum(tiny, 'CRC32C')));
  },
  /** Hashes the chosen file while a 10 ms timer runs; returns the digest, time and the timer's longest gap. */
  async hashFile(type: ChecksumType) {
    const file = (document.getElementById('file') as HTMLInputElement).files![0]!;
    const gaps = watchGaps();
    const start = performance.now();
    const digest = await computeChecksum(file, type);
    const ms = performance.now() - start;
    return { digest, ms, size: file.size, ...gaps.stop() };
  },
  /** The same timer with nothing else running: what this machine's scheduling alone costs. */
  async idleGap(ms: number) {
    const gaps = watchGaps();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return gaps.stop();
  },
};

(globalThis as unknown as { bench: typeof bench }).bench = bench;
document.title = 'ready';
