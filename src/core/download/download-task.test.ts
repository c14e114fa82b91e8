import { describe, expect, it, vi } from 'vitest';
import { createChecksumSession } from '../../checksum';
import { ObjectStoreError } from '../errors';
import { createRetryPolicy } from '../retry';
import { jsonError, patternBytes, ScriptedStore, sha256Base64 } from '../test-support/scripted-store';
import type { Transport } from '../transport/types';
import { pipeBody, shortenable } from './body-pipe';
import { openBodyReader } from './body-reader';
import { createDownloadTask, parseContentRange } from './download-task';
import type { DownloadSink, SinkResponse } from './sinks';
import { failure } from './testing/failure';
import type { ChecksumSessionFactory, DownloadOptions, DownloadStatus, DownloadTask } from './types';

const SEGMENT = 256 * 1024;

function setup(size: number, seed = 1) {
  const store = new ScriptedStore(patternBytes(size, seed));
  const start = (options: DownloadOptions = {}, key = 'folder/object.bin') =>
    createDownloadTask(
      {
        backend: store.backend(),
        transport: store.transport(),
        retry: createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 }),
      },
      key,
      { segmentSize: SEGMENT, ...options },
    );
  return { store, start };
}

/** The same body as a byte stream, which the engine reads with a BYOB reader into its own buffers. */
function asByteStream(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value as Uint8Array<ArrayBuffer>);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

type PipeArgs = Parameters<SinkResponse['pipe']>;

/**
 * A sink's `fetch` whose bodies stay with the sink, as the OPFS worker's do: `pipe` writes them, and its
 * range can be shortened while it runs, as the worker's can (`onRead` counts what arrived).
 */
function fetchInto(
  transport: Transport,
  pipe: (
    body: ReadableStream<Uint8Array>,
    range: PipeArgs[0],
    onWritten: PipeArgs[1],
    signal: PipeArgs[2],
    onRead: (bytes: number) => void,
  ) => Promise<void>,
): NonNullable<DownloadSink['fetch']> {
  return async (request, signal) => {
    const response = await transport.send({ method: 'GET', ...request, signal });
    let live: ReturnType<typeof shortenable<PipeArgs[0]>> | undefined;
    return {
      status: response.status,
      headers: response.headers,
      body: null,
      text: () => response.text(),
      async pipe(range, onWritten, pipeSignal) {
        live = shortenable(range);
        try {
          await pipe(response.body!, live.range, onWritten, pipeSignal, live.onRead);
        } finally {
          live = undefined;
        }
      },
      discard: () => void response.body?.cancel().catch(() => {}),
      shorten: async (end) => live?.shorten(end),
    };
  };
}

/** Writes a body's range into `bytes` through the engine's own reader and pipe, `piece` bytes per write. */
async function pipeInto(
  bytes: Uint8Array,
  body: ReadableStream<Uint8Array>,
  range: PipeArgs[0],
  piece: number,
  onWritten: (written: number, fetched: number) => void,
  signal: AbortSignal,
  onRead?: (bytes: number) => void,
): Promise<void> {
  const reader = openBodyReader(body, signal, range.stallMs);
  const write = (written: Uint8Array<ArrayBuffer>, at: number) => {
    bytes.set(written, at);
    return written.buffer;
  };
  await pipeBody(reader, range, new ArrayBuffer(piece), write, onWritten, onRead);
}

async function bytesOf(task: DownloadTask): Promise<Uint8Array> {
  const blob = await task.done;
  if (!blob) throw new Error('no blob');
  expect(blob.type).toBe('application/x-test');
  return new Uint8Array(await blob.arrayBuffer());
}

function statuses(task: DownloadTask): DownloadStatus[] {
  const seen: DownloadStatus[] = [task.getSnapshot().status];
  task.subscribe(() => {
    const { status } = task.getSnapshot();
    if (seen.at(-1) !== status) seen.push(status);
  });
  return seen;
}

function untilLoaded(task: DownloadTask, atLeast: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (task.getSnapshot().loaded >= atLeast) {
        stop();
        resolve();
      }
    };
    const stop = task.subscribe(check);
    check();
  });
}

describe('parseContentRange', () => {
  it('reads start, end and total', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ start: 0, end: 99, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: undefined });
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
  });
});

describe('createDownloadTask', () => {
  it.each([0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 12_345])(
    'delivers exactly the %i bytes of the object, verified',
    async (size) => {
      const { store, start } = setup(size, size + 7);
      const task = start();
      const seen = statuses(task);
      const bytes = await bytesOf(task);
      expect(bytes.byteLength).toBe(size);
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(seen).toEqual(['queued', 'presigning', 'downloading', 'verifying', 'done']);
      expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: size, total: size, fetched: size });
    },
  );

  it('sends segment ranges, at most `parallel` at once, with If-Range once the ETag is known', async () => {
    const { store, start } = setup(10 * SEGMENT);
    await bytesOf(start({ parallel: 3 }));
    const ranges = store.requests.map((r) => r.range).sort();
    expect(ranges).toEqual(
      Array.from({ length: 10 }, (_, i) => `bytes=${i * SEGMENT}-${(i + 1) * SEGMENT - 1}`).sort(),
    );
    expect(store.requests[0]!.ifRange).toBeUndefined();
    expect(store.requests.slice(1).every((r) => r.ifRange === '"v1"')).toBe(true);
    expect(store.maxOpen).toBeLessThanOrEqual(3);
    expect(store.maxOpen).toBeGreaterThan(1);
  });

  it('resumes a dropped connection from the last byte received, not the segment start', async () => {
    const size = 4 * SEGMENT;
    const { store, start } = setup(size);
    const dropAt = 2 * SEGMENT + 100_000;
    let dropped = false;
    store.scripts.push((request, s) => {
      if (!dropped && request.headers?.range?.startsWith(`bytes=${2 * SEGMENT}-`)) {
        dropped = true;
        return s.serve(request, { dropAfter: dropAt - 2 * SEGMENT });
      }
      return undefined;
    });
    const task = start({ parallel: 2 });
    const bytes = await bytesOf(task);
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(store.requests.map((r) => r.range)).toContain(`bytes=${dropAt}-${3 * SEGMENT - 1}`);
    expect(task.getSnapshot().fetched).toBe(size);
    expect(store.bytesSent - size).toBeLessThan(SEGMENT);
  });

  it('resumes a dropped byte stream read into our buffers (BYOB), fetching again what the failed read lost', async () => {
    const size = 4 * SEGMENT;
    const { store, start } = setup(size);
    let dropped = false;
    store.scripts.push((request, s) => {
      if (!dropped && request.headers?.range?.startsWith(`bytes=${2 * SEGMENT}-`)) {
        dropped = true;
        // Mid-buffer: a failed BYOB read keeps the buffer it was given, with the bytes read into it before.
        const cut = s.serve(request, { dropAfter: 100_000 });
        return { ...cut, body: asByteStream(cut.body!) };
      }
      return undefined;
    });
    const task = start({ parallel: 2 });
    const bytes = await bytesOf(task);
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(store.requests.filter((r) => r.range?.startsWith(`bytes=${2 * SEGMENT}-`))).toHaveLength(2);
  });

  it('reports a byte stream that keeps dropping mid-buffer as NETWORK once the retries run out', async () => {
    const { store, start } = setup(2 * SEGMENT);
    store.scripts.push((request, s) => {
      const cut = s.serve(request, { dropAfter: 100_000 });
      return { ...cut, body: asByteStream(cut.body!) };
    });
    const error = await failure(start());
    expect(error.code).toBe('NETWORK');
  });

  it('gives up on a body that stops sending and asks again for the rest', async () => {
    const size = 2 * SEGMENT;
    const store = new ScriptedStore(patternBytes(size));
    let hung = false;
    store.scripts.push((request, s) => {
      if (hung || request.headers?.range !== `bytes=0-${SEGMENT - 1}`) return undefined;
      hung = true;
      const served = s.serve(request);
      const reader = served.body!.getReader();
      let sent = 0;
      // Sends 100 000 bytes, then nothing, ever.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= 100_000) return new Promise<void>(() => {});
          const { value } = await reader.read();
          const piece = value!.subarray(0, 100_000 - sent);
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      });
      return { ...served, body };
    });
    const task = createDownloadTask(
      {
        backend: store.backend(),
        transport: store.transport(),
        retry: createRetryPolicy({ baseDelayMs: 1 }),
        stallTimeoutMs: 50,
      },
      'k',
      { segmentSize: SEGMENT },
    );
    const bytes = await bytesOf(task);
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(store.requests.map((r) => r.range)).toContain(`bytes=100000-${SEGMENT - 1}`);
  });

  it('reads the whole body when the server answers 200 to a Range', async () => {
    const { store, start } = setup(5 * SEGMENT + 3);
    store.ignoreRange = true;
    const bytes = await bytesOf(start());
    expect(sha256Base64(bytes)).toBe(store.checksum);
  });

  it('switches to the whole body mid-way, keeping what it had and skipping it in the body', async () => {
    const { store, start } = setup(6 * SEGMENT);
    store.scripts.push((_request, s, index) => {
      if (index === 3) s.ignoreRange = true;
      return undefined;
    });
    const chunks: Uint8Array[] = [];
    const task = start({
      parallel: 2,
      to: new WritableStream({
        write(chunk) {
          chunks.push(chunk.slice());
        },
      }),
    });
    expect(await task.done).toBeUndefined();
    const joined = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
    expect(sha256Base64(joined)).toBe(store.checksum);
  });

  it('fails with OBJECT_CHANGED when the object is overwritten mid-way, never splicing', async () => {
    const { store, start } = setup(4 * SEGMENT);
    store.scripts.push((_request, s, index) => {
      if (index === 2) s.replace(patternBytes(4 * SEGMENT, 99), '"v2"');
      return undefined;
    });
    const task = start({ parallel: 1 });
    const error = await failure(task);
    expect(error.code).toBe('OBJECT_CHANGED');
    expect(task.getSnapshot().status).toBe('failed');
    expect(store.requests[2]!.ifRange).toBe('"v1"');
  });

  it('restarts on the new version when asked to', async () => {
    const { store, start } = setup(4 * SEGMENT);
    store.scripts.push((_request, s, index) => {
      if (index === 2) s.replace(patternBytes(3 * SEGMENT + 5, 99), '"v2"');
      return undefined;
    });
    const bytes = await bytesOf(start({ parallel: 1, onObjectChanged: 'restart' }));
    expect(bytes.byteLength).toBe(3 * SEGMENT + 5);
    expect(sha256Base64(bytes)).toBe(store.checksum);
  });

  it('asks for a fresh URL when the one in use has expired', async () => {
    const { store, start } = setup(4 * SEGMENT);
    store.scripts.push((_request, s, index) => {
      if (index === 1) s.expiredBefore = s.urlGeneration + 1;
      return undefined;
    });
    const bytes = await bytesOf(start({ parallel: 1 }));
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(store.urlCalls).toBe(2);
  });

  it('backs off and retries on 429', async () => {
    const { store, start } = setup(2 * SEGMENT);
    let refused = 0;
    store.scripts.push(() =>
      refused++ < 2 ? jsonError(429, 'TOO_MANY_REQUESTS', { 'retry-after': '0' }) : undefined,
    );
    const bytes = await bytesOf(start());
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(refused).toBeGreaterThan(2);
    // Counted on every GET, so the line above holds whenever the bytes arrived: the refused GETs were asked
    // again, once each, on top of one per segment.
    expect(store.requests).toHaveLength(2 + 2);
  });

  it('fails with CHECKSUM_MISMATCH on a flipped byte and reports nothing done', async () => {
    const { store, start } = setup(3 * SEGMENT);
    store.scripts.push((request, s) => s.serve(request, { flip: SEGMENT + 17 }));
    const task = start();
    const error = await failure(task);
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(task.getSnapshot().status).toBe('failed');
  });

  it('skips the check with verify: false', async () => {
    const { store, start } = setup(3 * SEGMENT);
    store.scripts.push((request, s) => s.serve(request, { flip: 5 }));
    const bytes = await bytesOf(start({ verify: false }));
    expect(bytes[5]).not.toBe(patternBytes(3 * SEGMENT)[5]);
  });

  it('fails with a typed error when a ranged GET is refused for good', async () => {
    const { store, start } = setup(2 * SEGMENT);
    store.scripts.push(() => jsonError(403, 'SIGNATURE_INVALID'));
    expect((await failure(start())).code).toBe('SIGNATURE_INVALID');
  });

  it('pause aborts the requests in flight and resume fetches only the missing bytes', async () => {
    const size = 8 * SEGMENT;
    const { store, start } = setup(size);
    store.chunkSize = 16 * 1024;
    const task = start({ parallel: 2, segmentSize: 2 * SEGMENT });
    const seen = statuses(task);
    await untilLoaded(task, 1);
    task.pause();
    const inFlight = store.requests.filter((r) => r.signal);
    expect(inFlight.every((r) => r.signal!.aborted)).toBe(true);
    expect(task.getSnapshot().status).toBe('paused');
    const loadedAtPause = task.getSnapshot().loaded;
    task.resume();
    const bytes = await bytesOf(task);
    expect(sha256Base64(bytes)).toBe(store.checksum);
    expect(seen).toContain('paused');
    expect(seen.at(-1)).toBe('done');
    expect(loadedAtPause).toBeGreaterThan(0);
    // Every byte was read once: the resumed requests started where the paused ones stopped.
    expect(task.getSnapshot().fetched).toBe(size);
  });

  it('cancel rejects done with ABORTED and leaves no request open', async () => {
    const { store, start } = setup(8 * SEGMENT);
    store.chunkSize = 8 * 1024;
    const task = start();
    await untilLoaded(task, 1);
    task.cancel();
    expect((await failure(task)).code).toBe('ABORTED');
    expect(task.getSnapshot().status).toBe('canceled');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.open).toBe(0);
  });

  it('cancels through the caller signal', async () => {
    const { start } = setup(4 * SEGMENT);
    const controller = new AbortController();
    const task = start({ signal: controller.signal });
    controller.abort();
    expect((await failure(task)).code).toBe('ABORTED');
  });

  it('writes a WritableStream strictly in order, holding no more than parallel × segmentSize', async () => {
    const size = 12 * SEGMENT + 999;
    const { store, start } = setup(size);
    // Later segments answer first: the task must hold them until the earlier ones arrive.
    store.scripts.push(async (request, s) => {
      const from = Number(/bytes=(\d+)/.exec(request.headers?.range ?? '')?.[1] ?? 0);
      await new Promise((resolve) => setTimeout(resolve, from % (3 * SEGMENT) === 0 ? 15 : 0));
      return s.serve(request);
    });
    const chunks: Uint8Array[] = [];
    let written = 0;
    let mostHeld = 0;
    let task: DownloadTask | undefined;
    // A slow consumer: the later segments arrive long before their turn.
    const stream = new WritableStream<Uint8Array>({
      async write(chunk) {
        mostHeld = Math.max(mostHeld, task!.getSnapshot().loaded - written);
        await new Promise((resolve) => setTimeout(resolve, 2));
        chunks.push(chunk.slice());
        written += chunk.byteLength;
      },
    });
    task = start({ to: stream, parallel: 3 });
    expect(await task.done).toBeUndefined();
    expect(mostHeld).toBeGreaterThan(SEGMENT);
    // Reordering holds at most parallel × segmentSize; with a check, the stream is written after the digest
    // hands each chunk back, so up to 4 chunks (here a segment each) are in the digest besides.
    expect(mostHeld).toBeLessThanOrEqual(3 * SEGMENT + 4 * SEGMENT);
    const joined = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
    expect(sha256Base64(joined)).toBe(store.checksum);
  });

  it('gives a WritableStream the bytes the digest hands back, not a copy, in order', async () => {
    const size = 5 * SEGMENT + 77;
    const store = new ScriptedStore(patternBytes(size, 3));
    const hashed = new Set<ArrayBufferLike>();
    // The real digest, noting which buffers it was given.
    const createSession: ChecksumSessionFactory = (type, options) => {
      const inner = createChecksumSession(type, options);
      return {
        update(chunk) {
          hashed.add(chunk.buffer);
          return inner.update(chunk);
        },
        digest: () => inner.digest(),
        abort: () => inner.abort(),
      };
    };
    const chunks: Uint8Array[] = [];
    const streamTask = createDownloadTask(
      {
        backend: store.backend(),
        transport: store.transport(),
        retry: createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 }),
        createChecksumSession: createSession,
      },
      'folder/object.bin',
      {
        segmentSize: SEGMENT,
        parallel: 3,
        to: new WritableStream({
          write(chunk) {
            chunks.push(chunk);
          },
        }),
      },
    );
    expect(await streamTask.done).toBeUndefined();
    expect(chunks.every((chunk) => hashed.has(chunk.buffer))).toBe(true);
    const joined = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
    expect(sha256Base64(joined)).toBe(store.checksum);
  });

  it('writes a file handle positionally and aborts it, uncommitted, on a mismatch', async () => {
    const size = 3 * SEGMENT + 1;
    const { store, start } = setup(size);
    const file = new Uint8Array(size);
    let state = 'open';
    const handle = {
      kind: 'file',
      name: 'x',
      createWritable: async () =>
        new WritableStream({
          write(params: { type: string; position: number; data: Uint8Array }) {
            file.set(params.data, params.position);
          },
          close() {
            state = 'closed';
          },
          abort() {
            state = 'aborted';
          },
        }),
    } as unknown as FileSystemFileHandle;
    expect(await start({ to: handle }).done).toBeUndefined();
    expect(sha256Base64(file)).toBe(store.checksum);
    expect(state).toBe('closed');

    state = 'open';
    store.scripts.push((request, s) => s.serve(request, { flip: 2 * SEGMENT }));
    expect((await failure(start({ to: handle }))).code).toBe('CHECKSUM_MISMATCH');
    expect(state).toBe('aborted');
  });

  describe("a sink's fit, once the size is known", () => {
    function startWith(store: ScriptedStore, sink: DownloadSink) {
      return createDownloadTask(
        {
          backend: store.backend(),
          transport: store.transport(),
          retry: createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 }),
          openSink: async () => sink,
        },
        'folder/object.bin',
        { segmentSize: SEGMENT, to: 'file' },
      );
    }
    function memorySink(size: number) {
      const bytes = new Uint8Array(size);
      const sink: DownloadSink = {
        positional: true,
        async write(chunk, position) {
          bytes.set(chunk, position);
          return undefined;
        },
        reset: async () => {},
        close: async () => undefined,
        abort: async () => {},
      };
      return { sink, bytes };
    }

    it('is asked before any GET, and the sink it hands over to gets the bytes', async () => {
      const size = 2 * SEGMENT + 3;
      const { store } = setup(size);
      const replacement = memorySink(size);
      const asked: Array<{ size: number; requests: number }> = [];
      const first: DownloadSink = {
        ...memorySink(0).sink,
        async fit(objectSize) {
          asked.push({ size: objectSize, requests: store.requests.length });
          return replacement.sink;
        },
        write: async () => {
          throw new Error('the replaced sink was written');
        },
      };
      expect(await startWith(store, first).done).toBeUndefined();
      expect(asked).toEqual([{ size, requests: 0 }]);
      expect(sha256Base64(replacement.bytes)).toBe(store.checksum);
    });

    it('fails the download with its error, fetching nothing', async () => {
      const { store } = setup(SEGMENT);
      let aborted = false;
      const sink: DownloadSink = {
        ...memorySink(0).sink,
        fit: async () => {
          throw new ObjectStoreError('INVALID_INPUT', 'does not fit', { retryable: false });
        },
        abort: async () => {
          aborted = true;
        },
      };
      const error = await failure(startWith(store, sink));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'does not fit' });
      expect(store.requests).toEqual([]);
      expect(aborted).toBe(true);
    });
  });

  describe('into a sink that fetches and can only be read once closed (a writable stream in a worker)', () => {
    function streamSink(size: number, transport: Transport, closing: Promise<void> = Promise.resolve()) {
      const bytes = new Uint8Array(size);
      const calls: string[] = [];
      let closed = false;
      const sink: DownloadSink = {
        positional: true,
        async write(chunk, position) {
          bytes.set(chunk, position);
          return undefined;
        },
        fetch: fetchInto(transport, (body, range, onWritten, pipeSignal) =>
          pipeInto(bytes, body, range, SEGMENT / 4, onWritten, pipeSignal),
        ),
        async reset() {},
        async close() {
          calls.push('close');
          await closing;
          closed = true;
          return undefined;
        },
        async closedFile() {
          return new Blob([bytes]);
        },
        async abort() {
          calls.push(closed ? 'abort after close' : 'abort');
        },
      };
      return { sink, bytes, calls };
    }

    function startWith(store: ScriptedStore, sink: DownloadSink, hashBlob: (blob: Blob) => Promise<string>) {
      const noSession: ChecksumSessionFactory = () => {
        throw new Error('no digest of the bytes in flight on this path');
      };
      return createDownloadTask(
        {
          backend: store.backend(),
          transport: { ...store.transport(), plainFetch: true },
          retry: createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 }),
          createChecksumSession: noSession,
          hashBlob: (blob) => hashBlob(blob),
          openSink: async () => sink,
        },
        'folder/object.bin',
        { segmentSize: SEGMENT, to: 'file' },
      );
    }

    const sha256Of = async (blob: Blob) => sha256Base64(new Uint8Array(await blob.arrayBuffer()));

    it('checks the closed file, not the bytes in flight', async () => {
      const size = 3 * SEGMENT + 7;
      const store = new ScriptedStore(patternBytes(size, 5));
      const { sink, bytes, calls } = streamSink(size, store.transport());
      const task = startWith(store, sink, sha256Of);
      const seen = statuses(task);
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(seen.slice(-2)).toEqual(['verifying', 'done']);
      expect(calls).toEqual(['close']);
    });

    it('fails with CHECKSUM_MISMATCH after close and undoes the closed file', async () => {
      const size = 2 * SEGMENT;
      const store = new ScriptedStore(patternBytes(size, 6));
      store.scripts.push((request, s) => s.serve(request, { flip: SEGMENT + 3 }));
      const { sink, calls } = streamSink(size, store.transport());
      const task = startWith(store, sink, sha256Of);
      expect((await failure(task)).code).toBe('CHECKSUM_MISMATCH');
      expect(calls).toEqual(['close', 'abort after close']);
    });

    it('a cancel while the file is closing wins: ABORTED, and the closed file is undone', async () => {
      const size = SEGMENT;
      const store = new ScriptedStore(patternBytes(size, 7));
      let finishClose = () => {};
      const closing = new Promise<void>((resolve) => (finishClose = resolve));
      const { sink, calls } = streamSink(size, store.transport(), closing);
      const task = startWith(store, sink, sha256Of);
      await vi.waitFor(() => expect(calls).toEqual(['close']));
      task.cancel();
      finishClose();
      expect((await failure(task)).code).toBe('ABORTED');
      expect(task.getSnapshot().status).toBe('canceled');
      expect(calls).toEqual(['close', 'abort after close']);
    });
  });

  describe('GETs at once into a sink that writes the bodies itself (the OPFS worker)', () => {
    const SIZE = 32 * 1024 * 1024; // four default segments of 8 MiB: one range per lane
    const PIECE = 1024 * 1024;

    /**
     * Each written MiB moves a test clock by 100 ms and reports `busyShare` of it as time spent writing;
     * counts the bodies being written at once.
     */
    /** `busyShare` may change with the bytes written so far. */
    function writingSink(
      transport: Transport,
      busyShare: number | ((written: number) => number),
      size: number,
    ) {
      const share = typeof busyShare === 'number' ? () => busyShare : busyShare;
      const bytes = new Uint8Array(size);
      const clock = { now: 0 };
      const piping = { now: 0, most: 0, written: 0 };
      const sink: DownloadSink = {
        positional: true,
        async write() {
          throw new Error('the page writes nothing on this path');
        },
        fetch: fetchInto(transport, async (body, range, onWritten, pipeSignal, onRead) => {
          piping.now++;
          piping.most = Math.max(piping.most, piping.now);
          try {
            const report = (written: number, fetched: number) => {
              piping.written += written;
              clock.now += 100;
              onWritten(written, fetched, 100 * share(piping.written));
            };
            await pipeInto(bytes, asByteStream(body), range, PIECE, report, pipeSignal, onRead);
          } finally {
            piping.now--;
          }
        }),
        async reset() {},
        async close() {
          return undefined;
        },
        async abort() {},
      };
      return { sink, bytes, clock, piping };
    }

    function startInto(
      busyShare: Parameters<typeof writingSink>[1],
      options: DownloadOptions = {},
      { cacheControl, size = SIZE }: { cacheControl?: string; size?: number } = {},
    ) {
      const store = new ScriptedStore(patternBytes(size, 9));
      if (cacheControl) store.cacheControl = cacheControl;
      const { sink, bytes, clock, piping } = writingSink(store.transport(), busyShare, size);
      const task = createDownloadTask(
        {
          backend: store.backend(),
          transport: { ...store.transport(), plainFetch: true },
          retry: createRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 }),
          now: () => clock.now,
          openSink: async () => sink,
          minSplitPiece: 8 * PIECE,
        },
        'folder/object.bin',
        { verify: false, to: 'file', ...options },
      );
      return { store, task, bytes, piping };
    }

    it('keeps to one GET at a time while the writer is busy', async () => {
      const { store, task, bytes, piping } = startInto(0.9);
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(piping.most).toBe(1);
      expect(store.requests.map((r) => r.range)).toEqual([
        'bytes=0-8388607',
        'bytes=8388608-16777215',
        'bytes=16777216-25165823',
        'bytes=25165824-33554431',
      ]);
    });

    it('opens more, up to four, while the writer waits for the network', async () => {
      const { store, task, bytes, piping } = startInto(0.1);
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(piping.most).toBeGreaterThan(1);
      expect(store.requests).toHaveLength(4);
    });

    it('opens them all at once from a store without no-store, whose bodies the browser reads ahead anyway', async () => {
      const { store, task, bytes, piping } = startInto(0.9, {}, { cacheControl: 'private, no-cache' });
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(piping.most).toBe(4);
    });

    it('splits the range with the most left when a lane finds every range taken', async () => {
      const size = 4 * SIZE; // four ranges of 32 MiB: each can be split down to 8 MiB pieces
      // The writer is busy for the first 24 MiB, then waits: the first GET is well ahead of the others, and
      // finishes its range while theirs have much left.
      const { store, task, bytes, piping } = startInto(
        (written) => (written < 24 * PIECE ? 0.9 : 0.1),
        {},
        { size },
      );
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(store.requests.length).toBeGreaterThan(4);
      expect(piping.most).toBeLessThanOrEqual(4);
      // Each byte written once, by the GET whose range holds it.
      expect(piping.written).toBe(size);
      expect(task.getSnapshot().loaded).toBe(size);
      const starts = store.requests.map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')![1]));
      expect(new Set(starts).size).toBe(starts.length);
      for (const start of starts) expect(start % PIECE).toBe(0);
    });

    it('splits nothing for a store without no-store: each GET more would be another body read ahead', async () => {
      const size = 4 * SIZE;
      const { store, task, bytes, piping } = startInto(0.1, {}, { size, cacheControl: 'private, no-cache' });
      // The last range's answer comes late: the other lanes finish while it has most of its range left.
      store.scripts.push(async (_request, _store, index) => {
        while (index === 3 && piping.written < 3 * 32 * PIECE) await new Promise((r) => setTimeout(r, 1));
        return undefined;
      });
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(store.requests).toHaveLength(4);
    });

    it('keeps a `parallel` the caller set: that many at once from the start', async () => {
      const { store, task, bytes, piping } = startInto(0.9, { parallel: 4 });
      expect(await task.done).toBeUndefined();
      expect(sha256Base64(bytes)).toBe(store.checksum);
      expect(piping.most).toBe(4);
    });
  });

  it('rejects bad options at once with INVALID_INPUT', () => {
    const { start } = setup(1);
    expect(() => start({ segmentSize: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => start({ parallel: 1.5 })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => start({}, '')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('fails with INVALID_INPUT for an unknown target', async () => {
    const { start } = setup(1);
    expect((await failure(start({ to: 42 as unknown as 'blob' }))).code).toBe('INVALID_INPUT');
  });

  it('fails with NOT_FOUND for a missing object', async () => {
    const { store, start } = setup(10);
    store.backend = () => ({ ...new ScriptedStore(new Uint8Array(1)).backend(), get: async () => undefined });
    expect((await failure(start())).code).toBe('NOT_FOUND');
  });
});
