// Runs in Chromium, driven by bench/download.ts: one raw fetch vs objectdrop into OPFS.
import { createHttpBackend } from '../src/adapters/http-backend';
import { createDownloadTask } from '../src/core/download';
import { createRetryPolicy } from '../src/core/retry';
import { createFetchTransport } from '../src/core/transport/fetch-transport';

declare global {
  interface Window {
    benchReady: boolean;
    /** `byob`: read into one reused 1 MiB buffer, not the default reader's fresh chunks. */
    rawFetch(baseUrl: string, key: string, byob?: boolean): Promise<{ ms: number; bytes: number }>;
    toOpfs(
      baseUrl: string,
      key: string,
      options: {
        verify: boolean;
        dropAtHalf?: boolean;
        parallel?: number;
        segmentSize?: number;
        /** `to: 'file'`, the save picker answered with this OPFS file: the path a file the user picks takes. */
        picked?: boolean;
        /** Into this OPFS file, kept afterwards (downloaded again, it is overwritten in place); else a new one. */
        file?: string;
      },
    ): Promise<{ ms: number; loaded: number; fetched: number; fileSize: number }>;
    opfsCeiling(
      baseUrl: string,
      key: string,
      size: number,
      stream?: boolean,
      /** Into this OPFS file, kept afterwards and written in place; else a new one, removed. */
      file?: string,
    ): Promise<{ ms: number }>;
    /** `size` bytes written into a new OPFS file from memory, no network: the disk's part of the ceiling. */
    opfsWrite(size: number): Promise<{ ms: number }>;
    /** Provided by the Node side: arms a one-off connection drop at the store. */
    armDrop?: () => Promise<void>;
  }
}

window.rawFetch = async (baseUrl, key, byob = false) => {
  const backend = createHttpBackend({ baseUrl });
  const presigned = await backend.createDownloadUrl(key);
  const started = performance.now();
  const response = await fetch(presigned!.url);
  let bytes = 0;
  if (byob) {
    const reader = response.body!.getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(1 << 20);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) break;
      bytes += value.byteLength;
      buffer = value.buffer;
    }
  } else {
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
  }
  return { ms: performance.now() - started, bytes };
};

/** Runs one job of the no-library worker in a worker of its own. */
async function ceilingWorker(job: {
  url?: string;
  size: number;
  parallel: number;
  stream: boolean;
  file?: string;
}) {
  const worker = new Worker(new URL('./opfs-ceiling.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<{ ms: number }>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage({
        ...job,
        name: job.file ?? `ceiling-${Date.now()}.bin`,
        keep: job.file !== undefined,
      });
    });
  } finally {
    worker.terminate();
  }
}

window.opfsCeiling = async (baseUrl, key, size, stream = false, file) => {
  const presigned = await createHttpBackend({ baseUrl }).createDownloadUrl(key);
  return ceilingWorker({ url: presigned!.url, size, parallel: 4, stream, ...(file ? { file } : {}) });
};

window.opfsWrite = (size) => ceilingWorker({ size, parallel: 1, stream: false });

window.toOpfs = async (baseUrl, key, options) => {
  const root = await navigator.storage.getDirectory();
  const name = options.file ?? `bench-${Date.now()}.bin`;
  const handle = await root.getFileHandle(name, { create: true });
  // Headless Chromium cannot answer a real save picker; a picked file is never in OPFS, so the library takes
  // the same path whichever file the picker returns.
  const picker = window as { showSaveFilePicker?: () => Promise<FileSystemFileHandle> };
  const realPicker = picker.showSaveFilePicker;
  if (options.picked) picker.showSaveFilePicker = async () => handle;
  const started = performance.now();
  const task = createDownloadTask(
    {
      backend: createHttpBackend({ baseUrl }),
      transport: createFetchTransport(),
      retry: createRetryPolicy({ baseDelayMs: 50 }),
    },
    key,
    {
      to: options.picked ? 'file' : handle,
      verify: options.verify,
      ...(options.parallel ? { parallel: options.parallel } : {}),
      ...(options.segmentSize ? { segmentSize: options.segmentSize } : {}),
    },
  );
  if (options.dropAtHalf) {
    let armed = false;
    task.subscribe(() => {
      const { loaded, total } = task.getSnapshot();
      if (!armed && total && loaded >= total / 2) {
        armed = true;
        void window.armDrop?.();
      }
    });
  }
  const debug = setInterval(() => console.log(JSON.stringify(task.getSnapshot())), 2000);
  await task.done.finally(() => {
    clearInterval(debug);
    picker.showSaveFilePicker = realPicker;
  });
  const ms = performance.now() - started;
  const { loaded, fetched } = task.getSnapshot();
  const fileSize = (await handle.getFile()).size;
  if (!options.file) await root.removeEntry(name);
  return { ms, loaded, fetched, fileSize };
};

window.benchReady = true;
