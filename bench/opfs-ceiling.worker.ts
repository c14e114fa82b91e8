// The platform's ceiling for a download into a file, with no library: ranged fetches inside one worker,
// each body read with a BYOB reader and written at its offset through a sync access handle (OPFS), or with
// `stream`, through `createWritable()` (the only way into a file the user picked), one write at a time.
// With no `url`, no network: one reused 1 MiB buffer written at successive offsets, what the disk alone allows.
interface Job {
  url?: string;
  size: number;
  parallel: number;
  name: string;
  stream?: boolean;
  /** The file stays (written again in place next time), not removed. */
  keep?: boolean;
}

interface Writer {
  write(bytes: Uint8Array<ArrayBuffer>, at: number): void | Promise<void>;
  close(): Promise<void>;
}

async function openWriter(file: FileSystemFileHandle, stream: boolean): Promise<Writer> {
  if (stream) {
    const writable = await file.createWritable();
    let queue: Promise<void> = Promise.resolve();
    return {
      write: (data, position) =>
        (queue = queue.then(() => writable.write({ type: 'write', position, data }))),
      close: () => queue.then(() => writable.close()),
    };
  }
  const access = await (
    file as FileSystemFileHandle & {
      createSyncAccessHandle(): Promise<{
        write(b: Uint8Array, o: { at: number }): number;
        flush(): void;
        close(): void;
      }>;
    }
  ).createSyncAccessHandle();
  return {
    write: (bytes, at) => void access.write(bytes, { at }),
    async close() {
      access.flush();
      access.close();
    },
  };
}

self.onmessage = async (event: MessageEvent<Job>) => {
  const { url, size, parallel, name, stream = false, keep = false } = event.data;
  const root = await navigator.storage.getDirectory();
  const file = await root.getFileHandle(name, { create: true });
  const writer = await openWriter(file, stream);
  const started = performance.now();
  if (url === undefined) await writeFromMemory(writer, size);
  else await fetchAndWrite(writer, url, size, parallel);
  await writer.close();
  const ms = performance.now() - started;
  if (!keep) await root.removeEntry(name);
  self.postMessage({ ms });
};

async function writeFromMemory(writer: Writer, size: number): Promise<void> {
  const buffer = new Uint8Array(1 << 20);
  for (let at = 0; at < size; at += buffer.byteLength)
    await writer.write(buffer.subarray(0, Math.min(buffer.byteLength, size - at)), at);
}

async function fetchAndWrite(writer: Writer, url: string, size: number, parallel: number): Promise<void> {
  const span = Math.ceil(size / parallel);
  await Promise.all(
    Array.from({ length: parallel }, async (_, i) => {
      const from = i * span;
      const end = Math.min(size, from + span);
      const response = await fetch(url, { headers: { range: `bytes=${from}-${end - 1}` } });
      const reader = response.body!.getReader({ mode: 'byob' });
      let buffer = new ArrayBuffer(1 << 20);
      for (let at = from; ; ) {
        const { done, value } = await reader.read(new Uint8Array(buffer));
        if (done || !value) break;
        await writer.write(value, at);
        at += value.byteLength;
        buffer = value.buffer;
      }
    }),
  );
}
