// Runs in the benchmarked page; bench/checksum.ts drives it through `window.bench`.
import { computeChecksum, configureChecksums } from '../src/checksum';
import { pseudoRandomBlob } from '../src/checksum/testing/pseudo-random';
import type { ChecksumType } from '../src/core/types';
import type { BenchRequest } from './checksum-bench.worker';

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

function watchGaps(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return longest;
    },
  };
}

const bench = {
  configure: (poolSize: number) => configureChecksums({ poolSize }),
  makeBlob(size: number) {
    blob = pseudoRandomBlob(0xbe7c4, size);
    return ask({ kind: 'load', blob });
  },
  dropBlob() {
    blob = undefined;
    ceilings?.terminate();
    ceilings = undefined;
  },
  compute: (type: ChecksumType, subtleMaxBytes?: number) =>
    timed(() => computeChecksum(blob!, type, subtleMaxBytes === undefined ? {} : { subtleMaxBytes })),
  inMemory: (type: ChecksumType) => ask({ kind: 'in-memory', type }),
  subtle: (type: ChecksumType, includeRead: boolean) =>
    ask({ kind: 'subtle', type, includeRead, blob: blob! }),
  read: () => ask({ kind: 'read', blob: blob! }),
  /** Hashes the chosen file while a 10 ms timer runs; returns the digest, time and the timer's longest gap. */
  async hashFile(type: ChecksumType) {
    const file = (document.getElementById('file') as HTMLInputElement).files![0]!;
    const gaps = watchGaps();
    const start = performance.now();
    const digest = await computeChecksum(file, type);
    const ms = performance.now() - start;
    return { digest, ms, longestGap: gaps.stop(), size: file.size };
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
