// The page side of `npm run bench:upload`: each function runs one measured scenario and
// returns milliseconds; the Node side (bench/upload.ts) alternates them and prints ratios.
import { computeChecksum } from '../../src/checksum';
import { createHttpBackend, createObjectStore, type ObjectStoreBackend } from '../../src/core';
import { watchGaps } from '../main-thread-gaps';

const CONCURRENCY = 4;

/** Set by diagnostics (bench/upload-cpu.ts) to sample CPU time right at the clock's start and end. */
const mark = (what: 'start' | 'end') =>
  (window as { benchMark?: (what: string) => Promise<void> }).benchMark?.(what);

function backendOf(baseUrl: string): ObjectStoreBackend {
  return createHttpBackend({ baseUrl });
}

function chosenFile(): File {
  const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('No file chosen (setInputFiles first).');
  return file;
}

/** `work`'s result, and the main-thread meter's figures while it ran. */
async function withLongestGap<T>(
  work: () => Promise<T>,
): Promise<{ result: T; longestGapMs: number; longTasks: number }> {
  const gaps = watchGaps();
  try {
    const result = await work();
    const { longestGap, longTasks } = gaps.stop();
    return { result, longestGapMs: longestGap, longTasks };
  } catch (error) {
    gaps.stop();
    throw error;
  }
}

/** The baseline PUT: one XHR with upload progress, as a hand-written uploader would do it. */
function rawPut(url: string, body: Blob): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = () => {};
    xhr.onload = () =>
      xhr.status < 300 ? resolve() : reject(new Error(`PUT ${xhr.status}: ${xhr.responseText}`));
    xhr.onerror = () => reject(new Error('PUT failed'));
    xhr.send(body);
  });
}

async function presign(backend: ObjectStoreBackend, key: string, blob: Blob, checksum: string) {
  const { url } = await backend.createUploadUrl({
    key,
    length: blob.size,
    checksum,
    checksumType: 'SHA256',
    contentType: 'application/octet-stream',
  });
  return url;
}

let smallFiles: Blob[] = [];

function makeSmallFiles(count: number, size: number): void {
  smallFiles = Array.from({ length: count }, () => {
    const bytes = new Uint8Array(size);
    for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
    return new Blob([bytes], { type: 'application/octet-stream' });
  });
}

export const bench = {
  /** One small upload through objectdrop and one raw PUT, untimed. */
  async warmUp(baseUrl: string) {
    const client = createObjectStore({ backend: backendOf(baseUrl) });
    const blob = new Blob([crypto.getRandomValues(new Uint8Array(1024))]);
    await client.upload(blob, { key: 'warm-up/objectdrop' }).done;
    await client.delete('warm-up/objectdrop');
    const backend = backendOf(baseUrl);
    await rawPut(await presign(backend, 'warm-up/raw', blob, await computeChecksum(blob, 'SHA256')), blob);
    await backend.delete('warm-up/raw');
  },
  /** (a) objectdrop end to end: hash in workers → presign → XHR PUT → confirm. */
  async bigEndToEnd(baseUrl: string, key: string) {
    const client = createObjectStore({ backend: backendOf(baseUrl) });
    const file = chosenFile();
    const started = performance.now();
    const { longestGapMs, longTasks } = await withLongestGap(() => client.upload(file, { key }).done);
    const ms = performance.now() - started;
    await client.delete(key);
    return { ms, longestGapMs, longTasks };
  },
  /** (a) baseline: computeChecksum alone, then a raw XHR PUT of a pre-signed URL alone. */
  async bigBaseline(baseUrl: string, key: string) {
    const backend = backendOf(baseUrl);
    const file = chosenFile();
    const hashStart = performance.now();
    const hashed = await withLongestGap(() => computeChecksum(file, 'SHA256'));
    const hashMs = performance.now() - hashStart;
    const url = await presign(backend, key, file, hashed.result);
    const putStart = performance.now();
    const put = await withLongestGap(() => rawPut(url, file));
    const putMs = performance.now() - putStart;
    await backend.delete(key);
    return {
      hashMs,
      putMs,
      longestGapMs: Math.max(hashed.longestGapMs, put.longestGapMs),
      longTasks: hashed.longTasks + put.longTasks,
    };
  },
  makeSmallFiles,
  /**
   * (b) objectdrop: every small file through the whole pipeline at concurrency 4. With `prehashed`, the
   * checksums are computed before the clock starts (as the raw baseline's are), to show how much of
   * the gap is hashing. Also gives the mean time per file in each status.
   */
  async manyEndToEnd(baseUrl: string, prefix: string, prehashed = false) {
    const given = new Map<Blob, string>();
    if (prehashed) for (const blob of smallFiles) given.set(blob, await computeChecksum(blob, 'SHA256'));
    const client = createObjectStore({
      backend: backendOf(baseUrl),
      concurrency: CONCURRENCY,
      ...(prehashed ? { hasher: async (blob: Blob) => given.get(blob)! } : {}),
    });
    const inStatus: Record<string, number> = {};
    await mark('start');
    const started = performance.now();
    await Promise.all(
      smallFiles.map((blob, i) => {
        const task = client.upload(blob, { key: `${prefix}/${i}` });
        let status = task.getSnapshot().status;
        let since = performance.now();
        task.subscribe(() => {
          const now = task.getSnapshot().status;
          if (now === status) return;
          inStatus[status] = (inStatus[status] ?? 0) + performance.now() - since;
          since = performance.now();
          status = now;
        });
        return task.done;
      }),
    );
    const ms = performance.now() - started;
    await mark('end');
    await Promise.all(smallFiles.map((_, i) => client.delete(`${prefix}/${i}`)));
    const perFile = Object.fromEntries(
      Object.entries(inStatus).map(([status, total]) => [status, total / smallFiles.length]),
    );
    return { ms, perFile };
  },
  /** (b) baseline: the same files as raw XHR PUTs, 4 at a time, URLs signed beforehand (untimed). */
  async manyRaw(baseUrl: string, prefix: string) {
    const backend = backendOf(baseUrl);
    const urls: string[] = [];
    for (const [i, blob] of smallFiles.entries())
      urls.push(await presign(backend, `${prefix}/${i}`, blob, await computeChecksum(blob, 'SHA256')));
    let next = 0;
    await mark('start');
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < urls.length; i = next++) await rawPut(urls[i]!, smallFiles[i]!);
      }),
    );
    const ms = performance.now() - started;
    await mark('end');
    await Promise.all(smallFiles.map((_, i) => backend.delete(`${prefix}/${i}`)));
    return { ms };
  },
};

window.bench = bench;
document.title = 'bench ready';
