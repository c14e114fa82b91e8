// The platform's ceiling for a download into OPFS, with no library: ranged fetches inside one worker,
// each body read with a BYOB reader and written at its offset through a sync access handle.
interface Job {
  url: string;
  size: number;
  parallel: number;
  name: string;
}

self.onmessage = async (event: MessageEvent<Job>) => {
  const { url, size, parallel, name } = event.data;
  const root = await navigator.storage.getDirectory();
  const file = await root.getFileHandle(name, { create: true });
  const access = await (
    file as FileSystemFileHandle & {
      createSyncAccessHandle(): Promise<{
        write(b: Uint8Array, o: { at: number }): number;
        flush(): void;
        close(): void;
      }>;
    }
  ).createSyncAccessHandle();
  const started = performance.now();
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
        access.write(value, { at });
        at += value.byteLength;
        buffer = value.buffer;
      }
    }),
  );
  access.flush();
  access.close();
  const ms = performance.now() - started;
  await root.removeEntry(name);
  self.postMessage({ ms });
};
