// Writes a download into a file. An origin-private file gets a sync access handle: plain positional writes,
// no Blob copies to the browser process. Any other file (one the user picked to save to) gets
// `createWritable()`, whose writes go to a swap file that replaces the file on close. Either way this worker
// can make the GETs itself and write their bodies as they arrive: a body read on the page is buffered there
// by the browser while the page waits for its writer, up to hundreds of MiB per GiB, whereas here each body
// waits for its own write before more of it is read.
import { abortError, isObjectStoreError, ObjectStoreError } from '../errors';
import { pipeBody, shortenable } from './body-pipe';
import { openBodyReader } from './body-reader';
import type { WriterProgress, WriterReply, WriterRequest } from './file-writer-protocol';

interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  read(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** The open file, whichever way it is written. */
interface Target {
  /** Resolved once `bytes` may be refilled. */
  write(bytes: Uint8Array<ArrayBuffer>, at: number): void | Promise<void>;
  /** Only a sync access handle can read what it wrote before it is closed. */
  read?(into: Uint8Array, at: number): number;
  truncate(size: number): void | Promise<void>;
  /** Bytes the file holds now; a sync access handle only. */
  size?(): number;
  close(): Promise<void>;
  /** Nothing written may look like the complete file. */
  abort(): Promise<void>;
}

interface WorkerScope {
  postMessage(message: WriterReply | WriterProgress, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WriterRequest>) => void): void;
}

/**
 * Bytes per write. 1 GiB into OPFS, renderer growth per run with verify off, medians of 5 rounds of the OPFS
 * rounds of `npm run bench:download` (a trimmed copy, one run per size): 256 KiB writes 66 and 69 MiB in two
 * runs, 1 MiB 35 MiB, 2 MiB 41 MiB, on Debian's Chromium 150 (an earlier build here had favoured 256 KiB).
 * Through a writable stream each write is also a round trip to the browser process.
 */
const PIPE_BUFFER_SIZE = 1024 * 1024;
/** The page hears of written bytes about once a MiB: each report is work on its thread. */
const REPORT_BYTES = 1024 * 1024;
const scope = globalThis as unknown as WorkerScope;
let target: Target | undefined;
/** A GET made here: the page decides from the head what to do with the body. */
interface Body {
  controller: AbortController;
  response?: Response;
  /** While the body is written (`pipe`): moves the end of its range closer (see `shortenable`). */
  shorten?: (end: number) => number;
}
/** By request id. */
const bodies = new Map<number, Body>();
const spareBuffers: ArrayBuffer[] = [];

function reply(message: WriterReply | WriterProgress, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function file(): Target {
  // Closed or aborted while a body was still arriving: nothing more may land in the file.
  if (!target) throw new Error('The file is closed.');
  return target;
}

// Not emptied when opened: the sink sizes the file to the object before the first GET (`fit`), and the new
// bytes overwrite the old in place. A file downloaded again keeps its disk blocks and cached pages, and the
// quota it holds counts for the new version; a failed download still empties it (`abort`).
function syncTarget(access: SyncAccessHandle): Target {
  return {
    write(bytes, at) {
      for (let done = 0; done < bytes.byteLength; )
        done += access.write(bytes.subarray(done), { at: at + done });
    },
    read: (into, at) => access.read(into, { at }),
    truncate: (size) => access.truncate(size),
    size: () => access.getSize(),
    async close() {
      access.flush();
      access.close();
    },
    async abort() {
      // Written in place: a failed download leaves an empty file, never a partial one that looks complete.
      access.truncate(0);
      await this.close();
    },
  };
}

function streamTarget(stream: FileSystemWritableFileStream): Target {
  // One write at a time, as the stream takes them: each lane waits for its own.
  let queue: Promise<void> = Promise.resolve();
  const next = (step: () => Promise<void>) => {
    const run = queue.then(step);
    queue = run.catch(() => {});
    return run;
  };
  return {
    write: (bytes, at) => next(() => stream.write({ type: 'write', position: at, data: bytes })),
    truncate: (size) => next(() => stream.truncate(size)),
    close: () => next(() => stream.close()),
    // The swap file is dropped: the file keeps what it held before.
    abort: () => next(() => stream.abort()),
  };
}

async function open(handle: FileSystemFileHandle, stream: boolean): Promise<Target> {
  if (stream) return streamTarget(await handle.createWritable({ keepExistingData: false }));
  const withSync = handle as FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };
  return syncTarget(await withSync.createSyncAccessHandle());
}

function forget(fetchId: number): void {
  bodies.get(fetchId)?.controller.abort(abortError('discarded'));
  bodies.delete(fetchId);
}

function failure(id: number, error: unknown): WriterReply {
  const { name, message } = error as Error;
  return {
    id,
    ok: false,
    name: name ?? 'Error',
    message: message ?? String(error),
    ...(isObjectStoreError(error) ? { code: error.code } : {}),
  };
}

async function handle(request: WriterRequest): Promise<void> {
  switch (request.op) {
    case 'open': {
      target = await open(request.handle, request.stream === true);
      const size = target.size?.();
      reply({ id: request.id, ok: true, ...(size === undefined ? {} : { size }) });
      return;
    }
    case 'write':
      await file().write(request.bytes, request.position);
      reply({ id: request.id, ok: true, buffer: request.bytes.buffer }, [request.bytes.buffer]);
      return;
    case 'read': {
      const { bytes, position } = request;
      const read = file().read;
      if (!read) throw new Error('The file cannot be read before it is closed.');
      let length = 0;
      for (let got = -1; got !== 0 && length < bytes.byteLength; length += got)
        got = read(bytes.subarray(length), position + length);
      reply({ id: request.id, ok: true, buffer: bytes.buffer, length }, [bytes.buffer]);
      return;
    }
    case 'truncate':
      await file().truncate(request.size);
      reply({ id: request.id, ok: true });
      return;
    case 'close':
    case 'abort': {
      for (const id of [...bodies.keys()]) forget(id);
      const closing = target;
      target = undefined;
      if (request.op === 'abort') await closing?.abort();
      else await closing?.close();
      reply({ id: request.id, ok: true });
      return;
    }
    case 'fetch': {
      const entry: Body = { controller: new AbortController() };
      bodies.set(request.id, entry);
      try {
        entry.response = await fetch(request.url, {
          headers: request.headers,
          signal: entry.controller.signal,
        });
      } catch (cause) {
        bodies.delete(request.id);
        throw entry.controller.signal.aborted
          ? abortError(cause)
          : new ObjectStoreError('NETWORK', 'GET failed: no response from the server.', { cause });
      }
      const headers = [...entry.response.headers];
      reply({ id: request.id, ok: true, status: entry.response.status, headers });
      return;
    }
    case 'text': {
      const response = bodies.get(request.fetchId)?.response;
      bodies.delete(request.fetchId);
      reply({ id: request.id, ok: true, text: response ? await response.text() : '' });
      return;
    }
    case 'discard':
      forget(request.fetchId);
      reply({ id: request.id, ok: true });
      return;
    case 'shorten': {
      const end = bodies.get(request.fetchId)?.shorten?.(request.end);
      reply({ id: request.id, ok: true, ...(end === undefined ? {} : { end }) });
      return;
    }
    case 'pipe': {
      const entry = bodies.get(request.fetchId);
      // Dropped with the lanes that stopped when a server ignored Range: a retry asks again.
      if (!entry?.response?.body)
        throw new ObjectStoreError('NETWORK', 'The response was dropped before its body was written.');
      const reader = openBodyReader(entry.response.body, entry.controller.signal, request.stallMs);
      // Registered before the first read: a `shorten` sent after this pipe finds it.
      const live = shortenable(request);
      entry.shorten = live.shorten;
      const unreported = { written: 0, fetched: 0, busyMs: 0 };
      const report = () => {
        if (unreported.written === 0 && unreported.fetched === 0) return;
        reply({ id: request.id, progress: true, ...unreported });
        unreported.written = 0;
        unreported.fetched = 0;
        unreported.busyMs = 0;
      };
      try {
        const buffer = await pipeBody(
          reader,
          live.range,
          spareBuffers.pop() ?? new ArrayBuffer(PIPE_BUFFER_SIZE),
          // Throws once the file is closed or emptied: a late byte of a body still arriving lands nowhere.
          async (bytes, at) => {
            const started = performance.now();
            await file().write(bytes, at);
            unreported.busyMs += performance.now() - started;
            return bytes.buffer;
          },
          (written, fetched) => {
            unreported.written += written;
            unreported.fetched += fetched;
            if (unreported.written >= REPORT_BYTES) report();
          },
          live.onRead,
        );
        if (buffer.byteLength === PIPE_BUFFER_SIZE && spareBuffers.length < 8) spareBuffers.push(buffer);
      } finally {
        // Before the answer: the page counts every written byte before it retries or moves on.
        report();
        bodies.delete(request.fetchId);
      }
      reply({ id: request.id, ok: true });
      return;
    }
  }
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  handle(request).catch((error) => reply(failure(request.id, error)));
});
