// Real Chromium against the real local object store (vitest globalSetup), faults injected by its admin API.
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createHttpBackend } from '../../adapters/http-backend';
import { createRetryPolicy } from '../retry';
import { createFetchTransport } from '../transport/fetch-transport';
import type { Transport, TransportResponse } from '../transport/types';
import type { ObjectStoreBackend } from '../types';
import { createDownloadTask, DEFAULT_SEGMENT_SIZE, type DownloadDeps } from './download-task';
import type { SinkResponse } from './sinks';
import { STAGING_DIRECTORY } from './staged-sink';
import { failure } from './testing/failure';
import type { DownloadOptions, DownloadTask } from './types';
import { openWorkerSink } from './worker-sink';

const MiB = 1024 * 1024;
let baseUrl = '';

// A store of our own: the faults these tests inject must not hit other test files running alongside.
beforeAll(async () => {
  const response = await fetch(`${inject('objectStoreUrl')}/_admin/sandbox`, { method: 'POST' });
  baseUrl = ((await response.json()) as { url: string }).url;
});

async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${baseUrl}/_admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
}

afterEach(async () => {
  await fetch(`${baseUrl}/_admin/reset`, { method: 'POST' });
});

/** Pseudo-random bytes, generated in 4-byte steps so hundreds of MiB take well under a second. */
function patternBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < size; i++) bytes[i] = (seed + i) & 0xff;
  return bytes;
}

async function sha256(data: BufferSource | Blob): Promise<string> {
  const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return btoa(String.fromCharCode(...digest));
}

let keyCounter = 0;
const uniqueKey = (name: string) => `download-tests/${Date.now()}-${++keyCounter}/${name}`;

async function putObject(key: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const checksum = await sha256(bytes);
  const grant = await fetch(`${baseUrl}/api/v1/public-upload-url`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, length: bytes.byteLength, checksum, checksumType: 'SHA256' }),
  });
  if (!grant.ok) throw new Error(`upload-url: ${grant.status} ${await grant.text()}`);
  const { url } = (await grant.json()) as { url: string };
  const put = await fetch(url, { method: 'PUT', body: new Blob([bytes]) });
  if (!put.ok) throw new Error(`PUT: ${put.status} ${await put.text()}`);
  return checksum;
}

/** The real fetch transport, counting GETs and the bodies still open (a body counts until read or canceled). */
function countingTransport() {
  const inner = createFetchTransport();
  const counts = { gets: 0, open: 0, ranges: [] as string[] };
  const transport: Transport = {
    async send(request) {
      counts.gets++;
      counts.ranges.push(request.headers?.range ?? '');
      const response = await inner.send(request);
      if (!response.body) return response;
      counts.open++;
      let settled = false;
      const settle = () => {
        if (!settled) counts.open--;
        settled = true;
      };
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              settle();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            settle();
            controller.error(error);
          }
        },
        cancel(reason) {
          settle();
          return reader.cancel(reason);
        },
      });
      return { ...response, body } satisfies TransportResponse;
    },
  };
  return { transport, counts };
}

function start(
  key: string,
  options: DownloadOptions = {},
  transport: Transport = createFetchTransport(),
  deps: Partial<DownloadDeps> = {},
) {
  let urlCalls = 0;
  const http = createHttpBackend({ baseUrl });
  const backend: ObjectStoreBackend = {
    ...http,
    createDownloadUrl: (k, o) => {
      urlCalls++;
      return http.createDownloadUrl(k, o);
    },
  };
  const task = createDownloadTask(
    { backend, transport, retry: createRetryPolicy({ baseDelayMs: 20, maxDelayMs: 200 }), ...deps },
    key,
    options,
  );
  return { task, urlCalls: () => urlCalls };
}

/**
 * After one drop in a download of whole segments: the drop cost another GET, which asked only for the bytes
 * after the cut (not from a segment start), so less than a segment was fetched twice.
 */
function expectResumedAfterCut(
  task: DownloadTask,
  ranges: string[],
  size: number,
  segmentSize: number,
): void {
  expect(ranges.length).toBeGreaterThan(size / segmentSize);
  const starts = ranges.map((range) => Number(/bytes=(\d+)/.exec(range)?.[1]));
  expect(starts.some((start) => start % segmentSize !== 0)).toBe(true);
  expect(task.getSnapshot().fetched - size).toBeLessThan(segmentSize);
}

function untilLoaded(task: DownloadTask, atLeast: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const { loaded, status } = task.getSnapshot();
      if (loaded >= atLeast || status === 'done' || status === 'failed' || status === 'canceled') {
        stop();
        resolve();
      }
    };
    const stop = task.subscribe(check);
    check();
  });
}

async function opfsFile(name: string): Promise<FileSystemFileHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getFileHandle(name, { create: true });
}

/** Gives the file some old content, as a file downloaded before holds. */
async function fillFile(handle: FileSystemFileHandle, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
}

describe('download from the local object store', () => {
  it.each([0, 1, DEFAULT_SEGMENT_SIZE - 1, DEFAULT_SEGMENT_SIZE + 1])(
    'returns exactly the %i bytes as a Blob, verified',
    async (size) => {
      const key = uniqueKey('object.bin');
      const checksum = await putObject(key, patternBytes(size, size + 3));
      const { task } = start(key);
      const blob = await task.done;
      expect(blob?.size).toBe(size);
      expect(await sha256(blob!)).toBe(checksum);
      expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: size, total: size });
    },
  );

  it('reads a server that ignores Range as one body', async () => {
    const size = 9 * MiB + 3;
    const key = uniqueKey('no-range.bin');
    const checksum = await putObject(key, patternBytes(size, 40));
    await setFaults({ ignoreRange: true });
    const { task } = start(key, { segmentSize: MiB });
    const blob = await task.done;
    expect(await sha256(blob!)).toBe(checksum);
  });

  it('resumes a connection dropped at 50%, re-fetching less than one segment', async () => {
    const segmentSize = 4 * MiB;
    const size = 16 * segmentSize;
    const key = uniqueKey('dropped.bin');
    const checksum = await putObject(key, patternBytes(size, 5));
    const { transport, counts } = countingTransport();
    await paceForCut();
    const { task } = start(key, { segmentSize, parallel: 2 }, transport);
    await cutOneGetAtHalf(task, size, segmentSize / 2);
    const blob = await task.done;
    expect(await sha256(blob!)).toBe(checksum);
    // Each GET's range is counted: more than 16 of them is the GET the drop cost.
    expectResumedAfterCut(task, counts.ranges, size, segmentSize);
  });

  it('fails with OBJECT_CHANGED when the object is overwritten mid-download', async () => {
    const size = 8 * MiB;
    const key = uniqueKey('overwritten.bin');
    await putObject(key, patternBytes(size, 1));
    // Slow requests (the overwrite's included) keep the download in its first half while the object changes.
    await setFaults({ latencyMs: 100 });
    const { task } = start(key, { segmentSize: MiB / 2, parallel: 1 });
    await untilLoaded(task, 1);
    await putObject(key, patternBytes(size, 2));
    expect(task.getSnapshot().loaded).toBeLessThan(size);
    const error = await failure(task);
    expect(error.code).toBe('OBJECT_CHANGED');
    expect(task.getSnapshot().status).toBe('failed');
  });

  it('fails with CHECKSUM_MISMATCH when the store flips a byte, leaving the OPFS file uncommitted', async () => {
    const size = 3 * MiB;
    const key = uniqueKey('corrupted.bin');
    await putObject(key, patternBytes(size, 9));
    await setFaults({ corruptDownload: true });
    const handle = await opfsFile('corrupted.bin');
    // Old content: the sync-access writer empties the file on failure rather than leave any of it.
    const before = await handle.createWritable();
    await before.write('old content');
    await before.close();
    const { task } = start(key, { to: handle, segmentSize: MiB });
    const error = await failure(task);
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(task.getSnapshot().status).toBe('failed');
    expect((await handle.getFile()).size).toBe(0);
    await (await navigator.storage.getDirectory()).removeEntry('corrupted.bin');
  });

  it('writes an OPFS file through the worker even when the handle is reused', async () => {
    const size = 5 * MiB + 3;
    const key = uniqueKey('reused.bin');
    const checksum = await putObject(key, patternBytes(size, 21));
    const handle = await opfsFile('reused.bin');
    for (let round = 0; round < 2; round++) {
      const { task } = start(key, { to: handle, segmentSize: MiB, verify: round === 1 });
      expect(await task.done).toBeUndefined();
      expect(await sha256(await handle.getFile())).toBe(checksum);
    }
    await (await navigator.storage.getDirectory()).removeEntry('reused.bin');
  });

  it('cancel leaves no request in flight', async () => {
    const size = 32 * MiB;
    const key = uniqueKey('canceled.bin');
    await putObject(key, patternBytes(size, 4));
    const { transport, counts } = countingTransport();
    const { task } = start(key, { segmentSize: 4 * MiB }, transport);
    await untilLoaded(task, 1);
    expect(counts.open).toBeGreaterThan(0);
    task.cancel();
    expect((await failure(task)).code).toBe('ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.open).toBe(0);
    expect(task.getSnapshot().status).toBe('canceled');
  });

  it('pauses, then resumes from what was written', async () => {
    const size = 32 * MiB;
    const key = uniqueKey('paused.bin');
    const checksum = await putObject(key, patternBytes(size, 6));
    const { task } = start(key, { segmentSize: 4 * MiB });
    await untilLoaded(task, 1);
    task.pause();
    expect(task.getSnapshot().status).toBe('paused');
    task.resume();
    const blob = await task.done;
    expect(await sha256(blob!)).toBe(checksum);
    expect(task.getSnapshot().fetched - size).toBeLessThan(4 * MiB);
  });

  it('gets a fresh URL when the one in use expires', async () => {
    const size = 6 * MiB;
    const key = uniqueKey('expiring.bin');
    const checksum = await putObject(key, patternBytes(size, 8));
    // Six requests of at least 700 ms each outlast the 2-second URLs whatever the machine's speed.
    await setFaults({ urlTtlSeconds: 2, latencyMs: 700 });
    const { task, urlCalls } = start(key, { segmentSize: MiB, parallel: 1 });
    const blob = await task.done;
    expect(await sha256(blob!)).toBe(checksum);
    expect(urlCalls()).toBeGreaterThan(1);
  });

  it('backs off on 429 and still completes', async () => {
    const size = 8 * MiB;
    const key = uniqueKey('limited.bin');
    const checksum = await putObject(key, patternBytes(size, 12));
    await setFaults({ rateLimitRate: 0.3, retryAfterSeconds: 0 });
    const { task } = start(key, { segmentSize: MiB });
    const blob = await task.done;
    expect(await sha256(blob!)).toBe(checksum);
  });

  it('writes a WritableStream in order', async () => {
    const size = 10 * MiB + 5;
    const key = uniqueKey('streamed.bin');
    const checksum = await putObject(key, patternBytes(size, 13));
    const parts: Uint8Array[] = [];
    const { task } = start(key, {
      segmentSize: MiB,
      to: new WritableStream({
        write(chunk) {
          parts.push(chunk);
        },
      }),
    });
    expect(await task.done).toBeUndefined();
    expect(await sha256(new Blob(parts as BlobPart[]))).toBe(checksum);
  });

  it('writes an OPFS file from the page when the transport is not plain fetch', async () => {
    const size = 6 * MiB + 1;
    const key = uniqueKey('page-written.bin');
    const checksum = await putObject(key, patternBytes(size, 22));
    const handle = await opfsFile('page-written.bin');
    const { transport, counts } = countingTransport();
    const { task } = start(key, { to: handle, segmentSize: MiB }, transport);
    expect(await task.done).toBeUndefined();
    expect(counts.gets).toBe(7);
    expect(await sha256(await handle.getFile())).toBe(checksum);
    await (await navigator.storage.getDirectory()).removeEntry('page-written.bin');
  });

  // Last in the file: its 320 MiB fixture Blob stays in the page's small blob storage until garbage
  // collection, and a later test's Blobs could then fail to read (NotReadableError).
  it('writes 320 MiB into an OPFS file, verified, with the exact bytes', { timeout: 240_000 }, async () => {
    const size = 320 * MiB + 7;
    const key = uniqueKey('large.bin');
    const checksum = await putObject(key, patternBytes(size, 11));
    const handle = await opfsFile('large.bin');
    const { task } = start(key, { to: handle });
    expect(await task.done).toBeUndefined();
    // One range per lane, and a lane that finds them all taken splits one under way: four GETs or more, but
    // no byte fetched by two of them.
    expectSplitRanges(task, (await storeDownloads()).ranges, size);
    const file = await handle.getFile();
    expect(file.size).toBe(size);
    expect(await sha256(file)).toBe(checksum);
    await (await navigator.storage.getDirectory()).removeEntry('large.bin');
  });
});

/**
 * The ranges of an OPFS download whose lanes ramp: four planned, any more split from one under way. Each
 * GET starts where no other did, and the bytes fetched beyond the object's are at most one read dropped
 * per split (a body is read in pieces of at most 1 MiB).
 */
function expectSplitRanges(task: DownloadTask, ranges: string[], size: number): void {
  expect(ranges.length).toBeGreaterThanOrEqual(4);
  const starts = ranges.map((range) => Number(/bytes=(\d+)/.exec(range)?.[1]));
  expect(new Set(starts).size).toBe(starts.length);
  const { loaded, fetched } = task.getSnapshot();
  expect(loaded).toBe(size);
  expect(fetched - size).toBeLessThanOrEqual((ranges.length - 4) * MiB);
}

/** Object GETs the store has seen since the last reset, and those still open: the worker's included. */
async function storeDownloads(): Promise<{ open: number; mostOpen: number; ranges: string[] }> {
  return (await fetch(`${baseUrl}/_admin/downloads`)).json();
}

/**
 * Paces each GET at 16 MiB/s, before the task starts: a 4 MiB segment then takes a quarter of a second, and
 * with two at a time the last GETs open at least that long after half the object is in, so a drop
 * `cutOneGetAtHalf` sets then lands before they do. Unpaced, every GET could be open before the admin request
 * reached the store; at 48 MiB/s (an 83 ms margin for 8 segments) the picked-file test missed its drop once
 * in a full browser run.
 */
function paceForCut(): Promise<void> {
  return setFaults({ downloadBytesPerSecond: 16 * MiB });
}

/** Once half the object is in, the store cuts the next GET `bytesIntoGet` bytes into its body, once. */
async function cutOneGetAtHalf(task: DownloadTask, size: number, bytesIntoGet: number): Promise<void> {
  await untilLoaded(task, size / 2);
  await setFaults({ dropDownloadAfterBytes: bytesIntoGet, dropCount: 1 });
}

/** Pauses once bytes flow, resumes, and expects the exact object having fetched less than a segment twice. */
async function pauseThenResume(
  task: DownloadTask,
  handle: FileSystemFileHandle,
  checksum: string,
  segmentSize: number,
): Promise<void> {
  await untilLoaded(task, 1);
  task.pause();
  expect(task.getSnapshot().status).toBe('paused');
  task.resume();
  expect(await task.done).toBeUndefined();
  const file = await handle.getFile();
  expect(await sha256(file)).toBe(checksum);
  expect(task.getSnapshot().fetched - file.size).toBeLessThan(segmentSize);
}

/** A plain-fetch transport (so the sink may make the GETs) that counts what goes through the page. */
function pageTransport() {
  const inner = createFetchTransport();
  const counts = { gets: 0 };
  const transport: Transport = {
    plainFetch: true,
    send(request) {
      if (request.method === 'GET') counts.gets++;
      return inner.send(request);
    },
  };
  return { transport, counts };
}

describe('download into OPFS, the writer worker making the GETs', () => {
  const names: string[] = [];
  async function target(name: string): Promise<FileSystemFileHandle> {
    names.push(name);
    return opfsFile(name);
  }
  afterEach(async () => {
    vi.restoreAllMocks();
    const root = await navigator.storage.getDirectory();
    for (const name of names.splice(0)) await root.removeEntry(name).catch(() => {});
  });

  it('refuses an object larger than the free quota before fetching a byte, leaving the file empty', async () => {
    const size = 3 * MiB;
    const key = uniqueKey('too-big.bin');
    await putObject(key, patternBytes(size, 32));
    const handle = await target('too-big.bin');
    // Headless Chromium's quota dwarfs a test object: the browser's estimate says otherwise here.
    vi.spyOn(navigator.storage, 'estimate').mockResolvedValue({ quota: 10 * MiB, usage: 8 * MiB });
    const { task } = start(key, { to: handle }, pageTransport().transport);
    const error = await failure(task);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(error.message).toContain('(3.0 MiB) does not fit');
    expect(error.message).toContain('(2.0 MiB free)');
    expect((await storeDownloads()).ranges).toEqual([]);
    expect(task.getSnapshot()).toMatchObject({ status: 'failed', fetched: 0 });
    expect((await handle.getFile()).size).toBe(0);
  });

  it.each([
    ['longer', 9 * MiB],
    ['shorter', MiB + 7],
  ])('overwrites a %s old file in place: the exact bytes, cut or grown to the object', async (_, oldSize) => {
    const size = 5 * MiB + 3;
    const key = uniqueKey('in-place.bin');
    const checksum = await putObject(key, patternBytes(size, 33));
    const handle = await target(`in-place-${oldSize}.bin`);
    await fillFile(handle, patternBytes(oldSize, 34));
    const { task } = start(key, { to: handle, segmentSize: MiB });
    expect(await task.done).toBeUndefined();
    const file = await handle.getFile();
    expect(file.size).toBe(size);
    expect(await sha256(file)).toBe(checksum);
  });

  /** A 3 MiB object into a file holding `held` old bytes, the browser's estimate giving 2 MiB free. */
  async function intoFileHolding(held: number) {
    const key = uniqueKey('room.bin');
    const checksum = await putObject(key, patternBytes(3 * MiB, 35));
    const handle = await target(`room-${held}.bin`);
    await fillFile(handle, patternBytes(held, 36));
    vi.spyOn(navigator.storage, 'estimate').mockResolvedValue({ quota: 10 * MiB, usage: 8 * MiB });
    return { handle, checksum, task: start(key, { to: handle }).task };
  }

  it("counts the old file's bytes as room: 2 MiB free and 2 MiB held take a 3 MiB object", async () => {
    const { handle, checksum, task } = await intoFileHolding(2 * MiB);
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
  });

  it('refuses the object when free room and old bytes together fall short, emptying the file', async () => {
    const { handle, task } = await intoFileHolding(MiB / 2);
    const error = await failure(task);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(error.message).toContain('(2.5 MiB free)');
    expect((await storeDownloads()).ranges).toEqual([]);
    expect((await handle.getFile()).size).toBe(0);
  });

  it.each([
    [0, 0],
    [1, 1],
    [12 * MiB + 5, 7],
  ])(
    'writes exactly the %i bytes, verified, with no body passing through the page (%i GETs)',
    async (size, gets) => {
      const key = uniqueKey('worker.bin');
      const checksum = await putObject(key, patternBytes(size, 31));
      const { transport, counts } = pageTransport();
      const name = `worker-${size}.bin`;
      const { task } = start(key, { to: await target(name), segmentSize: 2 * MiB }, transport);
      expect(await task.done).toBeUndefined();
      expect(counts.gets).toBe(0);
      expect((await storeDownloads()).ranges).toHaveLength(gets);
      expect(await sha256(await (await opfsFile(name)).getFile())).toBe(checksum);
      expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: size, fetched: size });
    },
  );

  it('opens more GETs, one at a time, while each connection is slower than the worker writes', async () => {
    const size = 32 * MiB; // four ranges of 8 MiB
    const key = uniqueKey('worker-paced.bin');
    const checksum = await putObject(key, patternBytes(size, 38));
    // 16 MiB/s per connection: far below what the worker writes, so it waits for the network.
    await setFaults({ downloadBytesPerSecond: 16 * MiB });
    const handle = await target('worker-paced.bin');
    const { task } = start(key, { to: handle });
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
    const { ranges, mostOpen } = await storeDownloads();
    expect(ranges).toHaveLength(4);
    expect(mostOpen).toBeGreaterThan(1);
    // Not all four at once from the start: each more waits for two idle tenths of a second after the last
    // one opened, and by the time a fourth could open, the ranges are all taken.
    expect(mostOpen).toBeLessThan(4);
  });

  it('splits a range under way when a lane finds them all taken, fetching no byte twice', async () => {
    // 32 MiB/s per connection: the writer keeps up with four, so the ramp opens them a few tenths of a second
    // apart; the first finishes its 48 MiB range while the last has about half of its own left, more than
    // two pieces of 8 MiB (the default's 32 MiB pieces need ranges larger than a test's).
    const size = 192 * MiB;
    const key = uniqueKey('worker-split.bin');
    const checksum = await putObject(key, patternBytes(size, 39));
    await setFaults({ downloadBytesPerSecond: 32 * MiB });
    const handle = await target('worker-split.bin');
    const { task } = start(key, { to: handle }, undefined, { minSplitPiece: 8 * MiB });
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
    const { ranges, mostOpen } = await storeDownloads();
    expect(ranges.length).toBeGreaterThan(4);
    expect(mostOpen).toBeLessThanOrEqual(4);
    expectSplitRanges(task, ranges, size);
  });

  it('splits and resumes dropped connections in the same download, each byte written once', async () => {
    // The first three GETs are cut 40 MiB into their 48 MiB ranges, about when the lanes start splitting
    // them: retries and splits of the same ranges cross.
    const size = 192 * MiB;
    const key = uniqueKey('worker-split-dropped.bin');
    const checksum = await putObject(key, patternBytes(size, 41));
    await setFaults({ downloadBytesPerSecond: 32 * MiB, dropDownloadAfterBytes: 40 * MiB, dropCount: 3 });
    const handle = await target('worker-split-dropped.bin');
    const { task } = start(key, { to: handle }, undefined, { minSplitPiece: 8 * MiB });
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
    const { ranges } = await storeDownloads();
    // Four ranges, three retries, and at least one split.
    expect(ranges.length).toBeGreaterThan(7);
    expectSplitRanges(task, ranges, size);
  });

  it("shortens the worker's pipe under way: it stops at the new end, or past it only by what it had read", async () => {
    const size = 32 * MiB;
    const key = uniqueKey('worker-shorten.bin');
    await putObject(key, patternBytes(size, 40));
    // 8 MiB/s: the ask arrives long before the body would end.
    await setFaults({ downloadBytesPerSecond: 8 * MiB });
    const handle = await target('worker-shorten.bin');
    const sink = (await openWorkerSink(handle))!;
    await sink.fit!(size);
    const { url } = (await createHttpBackend({ baseUrl }).createDownloadUrl(key))!;
    const response = (await sink.fetch!(
      { url, headers: { range: `bytes=0-${size - 1}` } },
      new AbortController().signal,
    )) as SinkResponse;
    let written = 0;
    let asked: Promise<number | undefined> | undefined;
    await response.pipe(
      { bodyStart: 0, from: 0, end: size, stallMs: 30_000 },
      (bytes) => {
        written += bytes;
        asked ??= response.shorten!(4 * MiB);
      },
      new AbortController().signal,
    );
    const end = (await asked)!;
    expect(end).toBeGreaterThanOrEqual(4 * MiB);
    expect(end).toBeLessThan(8 * MiB);
    expect(written).toBe(end);
    expect(await response.shorten!(2 * MiB)).toBeUndefined();
    const into = new Uint8Array(new ArrayBuffer(size));
    const file = await sink.read!(0, into);
    const expected = patternBytes(size, 40).subarray(0, end);
    expect(await sha256(file.slice(0, end))).toBe(await sha256(expected.slice()));
    // Past the end, the file holds what `fit` sized it with: nothing of this body.
    expect(file.subarray(end).every((byte) => byte === 0)).toBe(true);
    await sink.close();
    await vi.waitFor(async () => expect((await storeDownloads()).open).toBe(0));
  });

  it('resumes a connection dropped at 50% from the byte after the cut, and verifies', async () => {
    const segmentSize = 4 * MiB;
    const size = 16 * segmentSize;
    const key = uniqueKey('worker-dropped.bin');
    const checksum = await putObject(key, patternBytes(size, 32));
    const handle = await target('worker-dropped.bin');
    await paceForCut();
    const { task } = start(key, { to: handle, segmentSize, parallel: 2 });
    await cutOneGetAtHalf(task, size, segmentSize / 2 + 1000);
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
    expectResumedAfterCut(task, (await storeDownloads()).ranges, size, segmentSize);
  });

  it('cancel stops the requests of the worker and empties the file', async () => {
    const size = 64 * MiB;
    const key = uniqueKey('worker-canceled.bin');
    await putObject(key, patternBytes(size, 33));
    // Slow enough that the download is still running when it is canceled.
    await setFaults({ latencyMs: 50 });
    const handle = await target('worker-canceled.bin');
    const { task } = start(key, { to: handle, segmentSize: 2 * MiB });
    await untilLoaded(task, 1);
    task.cancel();
    expect((await failure(task)).code).toBe('ABORTED');
    await vi.waitFor(async () => expect((await storeDownloads()).open).toBe(0));
    // And none after: the worker's lanes are stopped, not just the ones open at the cancel.
    const { ranges } = await storeDownloads();
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.length).toBeLessThan(32);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await storeDownloads()).ranges).toHaveLength(ranges.length);
    expect(task.getSnapshot().status).toBe('canceled');
    expect((await handle.getFile()).size).toBe(0);
  });

  it('pauses, then resumes from what was written, verified', async () => {
    const size = 32 * MiB;
    const key = uniqueKey('worker-paused.bin');
    const checksum = await putObject(key, patternBytes(size, 34));
    const handle = await target('worker-paused.bin');
    await pauseThenResume(start(key, { to: handle, segmentSize: 4 * MiB }).task, handle, checksum, 4 * MiB);
  });

  it('fails with OBJECT_CHANGED when the object is overwritten mid-download, leaving an empty file', async () => {
    const size = 8 * MiB;
    const key = uniqueKey('worker-overwritten.bin');
    await putObject(key, patternBytes(size, 35));
    await setFaults({ latencyMs: 100 });
    const handle = await target('worker-overwritten.bin');
    const { task } = start(key, { to: handle, segmentSize: MiB / 2, parallel: 1 });
    await untilLoaded(task, 1);
    await putObject(key, patternBytes(size, 36));
    expect((await failure(task)).code).toBe('OBJECT_CHANGED');
    expect((await handle.getFile()).size).toBe(0);
  });

  it('reads a server that ignores Range as one body, written once', async () => {
    const size = 9 * MiB + 3;
    const key = uniqueKey('worker-no-range.bin');
    const checksum = await putObject(key, patternBytes(size, 39));
    await setFaults({ ignoreRange: true });
    const handle = await target('worker-no-range.bin');
    const { task } = start(key, { to: handle, segmentSize: MiB });
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
    expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: size });
  });

  it('backs off on 429 and still completes', async () => {
    const size = 8 * MiB;
    const key = uniqueKey('worker-limited.bin');
    const checksum = await putObject(key, patternBytes(size, 37));
    await setFaults({ rateLimitRate: 0.3, retryAfterSeconds: 0 });
    const handle = await target('worker-limited.bin');
    const { task } = start(key, { to: handle, segmentSize: MiB });
    expect(await task.done).toBeUndefined();
    expect(await sha256(await handle.getFile())).toBe(checksum);
  });
});

describe("to: 'file', the writer worker making the GETs", () => {
  // Headless Chromium cannot answer a save picker: it answers with an origin-private file here, which the
  // library writes as it writes any picked file (a picked file is never origin-private).
  const names: string[] = [];
  async function picked(name: string, oldContent = 'old content'): Promise<FileSystemFileHandle> {
    names.push(name);
    const handle = await opfsFile(name);
    const writable = await handle.createWritable();
    await writable.write(oldContent);
    await writable.close();
    vi.stubGlobal('showSaveFilePicker', async () => handle);
    return handle;
  }
  /** The page cannot open OPFS for a staging file (the worker still writes the picked file it is handed). */
  function noStaging() {
    vi.spyOn(navigator.storage, 'getDirectory').mockRejectedValue(
      new DOMException('denied', 'SecurityError'),
    );
  }
  async function stagedFiles(): Promise<string[]> {
    const root = await navigator.storage.getDirectory();
    const directory = (await root.getDirectoryHandle(STAGING_DIRECTORY, {
      create: true,
    })) as FileSystemDirectoryHandle & {
      keys(): AsyncIterable<string>;
    };
    const names: string[] = [];
    for await (const name of directory.keys()) names.push(name);
    return names;
  }
  afterEach(async () => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    const root = await navigator.storage.getDirectory();
    for (const name of names.splice(0)) await root.removeEntry(name).catch(() => {});
  });

  describe('staged in OPFS, copied into the picked file on close', () => {
    it.each([0, 12 * MiB + 5])(
      'writes exactly the %i bytes, verified, with no body passing through the page and no staging file left',
      async (size) => {
        const key = uniqueKey('picked.bin');
        const checksum = await putObject(key, patternBytes(size, 41));
        const handle = await picked(`picked-${size}.bin`);
        const { transport, counts } = pageTransport();
        const { task } = start(key, { to: 'file', segmentSize: 2 * MiB }, transport);
        expect(await task.done).toBeUndefined();
        expect(counts.gets).toBe(0);
        expect(await sha256(await handle.getFile())).toBe(checksum);
        expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: size });
        expect(await stagedFiles()).toEqual([]);
      },
    );

    it('takes the same path for a handle outside OPFS, copying the staged file in on close', async () => {
      const size = 5 * MiB + 7;
      const key = uniqueKey('outside.bin');
      const checksum = await putObject(key, patternBytes(size, 50));
      // Headless Chromium hands out no handle outside OPFS; this one cannot even be posted to a worker.
      const copied: string[] = [];
      let closed = false;
      const handle = {
        kind: 'file',
        name: 'outside.bin',
        createWritable: async () => ({
          write: async (data: Blob) => void copied.push(await sha256(data)),
          close: async () => {
            closed = true;
          },
          abort: async () => {},
        }),
      } as unknown as FileSystemFileHandle;
      const { transport, counts } = pageTransport();
      const { task } = start(key, { to: handle, segmentSize: MiB }, transport);
      expect(await task.done).toBeUndefined();
      expect(counts.gets).toBe(0);
      expect(copied).toEqual([checksum]);
      expect(closed).toBe(true);
      expect(await stagedFiles()).toEqual([]);
    });

    it('keeps the old content until the download is complete', async () => {
      const size = 24 * MiB;
      const key = uniqueKey('picked-slow.bin');
      const checksum = await putObject(key, patternBytes(size, 42));
      await setFaults({ latencyMs: 30 });
      const handle = await picked('picked-slow.bin');
      const { task } = start(key, { to: 'file', segmentSize: MiB, parallel: 2 }, pageTransport().transport);
      await untilLoaded(task, size / 2);
      expect(await (await handle.getFile()).text()).toBe('old content');
      expect(await stagedFiles()).toHaveLength(1);
      expect(await task.done).toBeUndefined();
      expect(await sha256(await handle.getFile())).toBe(checksum);
    });

    it('writes the picked file directly, checked after close, when the free quota cannot hold a staged copy', async () => {
      const size = 24 * MiB;
      const key = uniqueKey('picked-no-room.bin');
      const checksum = await putObject(key, patternBytes(size, 48));
      await setFaults({ latencyMs: 30 });
      const handle = await picked('picked-no-room.bin');
      vi.spyOn(navigator.storage, 'estimate').mockResolvedValue({ quota: 40 * MiB, usage: 20 * MiB });
      const { transport, counts } = pageTransport();
      const statuses: string[] = [];
      const { task } = start(key, { to: 'file', segmentSize: MiB, parallel: 2 }, transport);
      task.subscribe(() => statuses.push(task.getSnapshot().status));
      await untilLoaded(task, size / 2);
      // Staged, half-way there is a staging file (see 'keeps the old content…').
      expect(await stagedFiles()).toEqual([]);
      expect(await (await handle.getFile()).text()).toBe('old content');
      expect(await task.done).toBeUndefined();
      expect(counts.gets).toBe(0);
      expect(statuses.at(-2)).toBe('verifying');
      expect(await sha256(await handle.getFile())).toBe(checksum);
    });

    it('resumes a connection dropped at 50% from the byte after the cut, and verifies', async () => {
      const segmentSize = 4 * MiB;
      const size = 8 * segmentSize;
      const key = uniqueKey('picked-dropped.bin');
      const checksum = await putObject(key, patternBytes(size, 45));
      const handle = await picked('picked-dropped.bin');
      await paceForCut();
      const { task } = start(key, { to: 'file', segmentSize, parallel: 2 }, pageTransport().transport);
      await cutOneGetAtHalf(task, size, segmentSize / 2 + 1000);
      expect(await task.done).toBeUndefined();
      expect(await sha256(await handle.getFile())).toBe(checksum);
      expectResumedAfterCut(task, (await storeDownloads()).ranges, size, segmentSize);
    });

    it('pauses, then resumes from what was written, verified', async () => {
      const size = 16 * MiB;
      const key = uniqueKey('picked-paused.bin');
      const checksum = await putObject(key, patternBytes(size, 46));
      const handle = await picked('picked-paused.bin');
      const { task } = start(key, { to: 'file', segmentSize: 2 * MiB }, pageTransport().transport);
      await pauseThenResume(task, handle, checksum, 2 * MiB);
    });
  });

  describe("with no OPFS for a staging file, through the picked file's writable stream", () => {
    /** The page cannot open OPFS (the worker still writes the picked file it is handed). */
    function noStaging() {
      vi.spyOn(navigator.storage, 'getDirectory').mockRejectedValue(
        new DOMException('denied', 'SecurityError'),
      );
    }

    it('writes exactly the bytes, checked after close, with no body passing through the page', async () => {
      const size = 12 * MiB + 5;
      const key = uniqueKey('streamed.bin');
      const checksum = await putObject(key, patternBytes(size, 47));
      const handle = await picked('streamed.bin');
      noStaging();
      const { transport, counts } = pageTransport();
      const statuses = new Set<string>();
      const { task } = start(key, { to: 'file', segmentSize: 2 * MiB }, transport);
      task.subscribe(() => statuses.add(task.getSnapshot().status));
      expect(await task.done).toBeUndefined();
      expect(counts.gets).toBe(0);
      expect(statuses.has('verifying')).toBe(true);
      expect(await sha256(await handle.getFile())).toBe(checksum);
    });
  });

  // Staged: the check runs before anything is committed. Streamed: the check reads the closed file.
  it.each([
    ['staged', 'old content'],
    ['streamed', ''],
  ])(
    'fails with CHECKSUM_MISMATCH when the store flips a byte (%s), the picked file left with "%s"',
    async (mode, left) => {
      const size = 3 * MiB;
      const key = uniqueKey(`${mode}-corrupted.bin`);
      await putObject(key, patternBytes(size, 43));
      await setFaults({ corruptDownload: true });
      const handle = await picked(`${mode}-corrupted.bin`);
      if (mode === 'streamed') noStaging();
      const { task } = start(key, { to: 'file', segmentSize: MiB }, pageTransport().transport);
      expect((await failure(task)).code).toBe('CHECKSUM_MISMATCH');
      expect(task.getSnapshot().status).toBe('failed');
      expect(await (await handle.getFile()).text()).toBe(left);
      vi.restoreAllMocks();
      expect(await stagedFiles()).toEqual([]);
    },
  );

  it.each(['staged', 'streamed'])(
    'cancel (%s) stops the requests, leaves the old content and no staging file',
    async (mode) => {
      const size = 64 * MiB;
      const key = uniqueKey(`${mode}-canceled.bin`);
      await putObject(key, patternBytes(size, 44));
      await setFaults({ latencyMs: 50 });
      const handle = await picked(`${mode}-canceled.bin`);
      if (mode === 'streamed') noStaging();
      const { task } = start(key, { to: 'file', segmentSize: 2 * MiB }, pageTransport().transport);
      await untilLoaded(task, 1);
      task.cancel();
      expect((await failure(task)).code).toBe('ABORTED');
      await vi.waitFor(async () => expect((await storeDownloads()).open).toBe(0));
      expect(await (await handle.getFile()).text()).toBe('old content');
      vi.restoreAllMocks();
      expect(await stagedFiles()).toEqual([]);
    },
  );
});
