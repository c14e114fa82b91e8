// Writes a download into an origin-private file with a sync access handle: plain positional writes, no
// Blob copies to the browser process (what `createWritable()` does for every write), so the page's memory
// stays flat. It can also make the GETs itself and write their bodies as they arrive: a body read on the
// page is buffered there by the browser while the page waits for this worker, up to hundreds of MiB per GiB,
// whereas a synchronous write here takes no more bytes than it writes.
import { abortError, isObjectStoreError, ObjectStoreError } from '../errors';
import { pipeBody } from './body-pipe';
import { openBodyReader } from './body-reader';
import type { OpfsProgress, OpfsReply, OpfsRequest } from './opfs-protocol';

interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  read(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

interface WorkerScope {
  postMessage(message: OpfsReply | OpfsProgress, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<OpfsRequest>) => void): void;
}

/**
 * Bytes per write. 256 KiB wrote as fast as 1 MiB and left the renderer 10–20 MiB smaller in
 * `npm run bench:download`: four lanes' buffers, and fewer bytes waiting in each while it fills.
 */
const PIPE_BUFFER_SIZE = 256 * 1024;
/** The page hears of written bytes about once a MiB: each report is work on its thread. */
const REPORT_BYTES = 1024 * 1024;
const scope = globalThis as unknown as WorkerScope;
let access: SyncAccessHandle | undefined;
/** GETs made here, by request id: the page decides from the head what to do with the body. */
const bodies = new Map<number, { controller: AbortController; response?: Response }>();
const spareBuffers: ArrayBuffer[] = [];

function reply(message: OpfsReply | OpfsProgress, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function file(): SyncAccessHandle {
  // Closed or aborted while a body was still arriving: nothing more may land in the file.
  if (!access) throw new Error('The file is closed.');
  return access;
}

function writeAt(bytes: Uint8Array, at: number): void {
  const handle = file();
  for (let done = 0; done < bytes.byteLength; ) done += handle.write(bytes.subarray(done), { at: at + done });
}

function forget(fetchId: number): void {
  bodies.get(fetchId)?.controller.abort(abortError('discarded'));
  bodies.delete(fetchId);
}

function failure(id: number, error: unknown): OpfsReply {
  const { name, message } = error as Error;
  return {
    id,
    ok: false,
    name: name ?? 'Error',
    message: message ?? String(error),
    ...(isObjectStoreError(error) ? { code: error.code } : {}),
  };
}

async function handle(request: OpfsRequest): Promise<void> {
  switch (request.op) {
    case 'open': {
      const target = request.handle as FileSystemFileHandle & {
        createSyncAccessHandle(): Promise<SyncAccessHandle>;
      };
      access = await target.createSyncAccessHandle();
      access.truncate(0);
      reply({ id: request.id, ok: true });
      return;
    }
    case 'write':
      writeAt(request.bytes, request.position);
      reply({ id: request.id, ok: true, buffer: request.bytes.buffer }, [request.bytes.buffer]);
      return;
    case 'read': {
      const { bytes, position } = request;
      let length = 0;
      for (let got = -1; got !== 0 && length < bytes.byteLength; length += got)
        got = file().read(bytes.subarray(length), { at: position + length });
      reply({ id: request.id, ok: true, buffer: bytes.buffer, length }, [bytes.buffer]);
      return;
    }
    case 'truncate':
      file().truncate(request.size);
      reply({ id: request.id, ok: true });
      return;
    case 'close':
    case 'abort':
      for (const id of [...bodies.keys()]) forget(id);
      // A failed download leaves an empty file, never a partial one that looks complete.
      if (request.op === 'abort') access?.truncate(0);
      access?.flush();
      access?.close();
      access = undefined;
      reply({ id: request.id, ok: true });
      return;
    case 'fetch': {
      const entry: { controller: AbortController; response?: Response } = {
        controller: new AbortController(),
      };
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
    case 'pipe': {
      const entry = bodies.get(request.fetchId);
      // Dropped with the lanes that stopped when a server ignored Range: a retry asks again.
      if (!entry?.response?.body)
        throw new ObjectStoreError('NETWORK', 'The response was dropped before its body was written.');
      const reader = openBodyReader(entry.response.body, entry.controller.signal, request.stallMs);
      const unreported = { written: 0, fetched: 0 };
      const report = () => {
        if (unreported.written === 0 && unreported.fetched === 0) return;
        reply({ id: request.id, progress: true, ...unreported });
        unreported.written = 0;
        unreported.fetched = 0;
      };
      try {
        const buffer = await pipeBody(
          reader,
          request,
          spareBuffers.pop() ?? new ArrayBuffer(PIPE_BUFFER_SIZE),
          // Throws once the file is closed or emptied: a late byte of a body still arriving lands nowhere.
          (bytes, at) => {
            writeAt(bytes, at);
            return bytes.buffer;
          },
          (written, fetched) => {
            unreported.written += written;
            unreported.fetched += fetched;
            if (unreported.written >= REPORT_BYTES) report();
          },
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
