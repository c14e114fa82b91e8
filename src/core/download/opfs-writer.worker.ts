// Writes a download into an origin-private file with a sync access handle: plain positional writes, no
// Blob copies to the browser process (what `createWritable()` does for every write), so the page's memory
// stays flat. Written buffers go back to the page to be filled again.
import type { OpfsReply, OpfsRequest } from './opfs-protocol';

interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

interface WorkerScope {
  postMessage(message: OpfsReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<OpfsRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let access: SyncAccessHandle | undefined;

function reply(message: OpfsReply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.addEventListener('message', async (event) => {
  const request = event.data;
  try {
    switch (request.op) {
      case 'open': {
        const handle = request.handle as FileSystemFileHandle & {
          createSyncAccessHandle(): Promise<SyncAccessHandle>;
        };
        access = await handle.createSyncAccessHandle();
        access.truncate(0);
        reply({ id: request.id, ok: true });
        return;
      }
      case 'write': {
        const { bytes, position } = request;
        for (let done = 0; done < bytes.byteLength; )
          done += access!.write(bytes.subarray(done), { at: position + done });
        reply({ id: request.id, ok: true, buffer: bytes.buffer }, [bytes.buffer]);
        return;
      }
      case 'truncate':
        access!.truncate(request.size);
        reply({ id: request.id, ok: true });
        return;
      case 'close':
      case 'abort':
        // A failed download leaves an empty file, never a partial one that looks complete.
        if (request.op === 'abort') access?.truncate(0);
        access?.flush();
        access?.close();
        access = undefined;
        reply({ id: request.id, ok: true });
        return;
    }
  } catch (error) {
    const { name, message } = error as Error;
    reply({ id: request.id, ok: false, name: name ?? 'Error', message: message ?? String(error) });
  }
});
