import { abortError, ObjectStoreError } from '../core/errors';

/**
 * Bytes read per step, into one of two reused buffers. 4 MiB measured fastest when each chunk was hashed
 * in one go (perf-ceilings.md); now that hashing runs in slices with the read going on between them
 * (hash-blob.ts), 2 MiB is as fast and the renderer grows by 20 instead of 30 MiB for a 1 GiB file.
 */
export const CHUNK_SIZE = 2 * 1024 * 1024;

/** A read slower than this counts as stalled and the rest is read by another reader. */
export const DEFAULT_STALL_TIMEOUT_MS = 3000;

/** After this many stalls the BYOB reader is given up for slices, which never stalled in our runs. */
const MAX_BYOB_ATTEMPTS = 2;

export interface ReadBlobOptions {
  /** Default {@link CHUNK_SIZE}. */
  chunkSize?: number;
  /** Default {@link DEFAULT_STALL_TIMEOUT_MS}. */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  /** Told when a stalled reader was replaced; for tests and diagnostics. */
  onStall?: (offset: number) => void;
}

class StallError extends Error {}

/**
 * Reads into the free tail of the buffer. `bytes` is what was read, over the buffer that now holds it (a
 * BYOB read transfers it); empty with `done` at the end.
 */
interface ChunkSource {
  read(into: Uint8Array<ArrayBuffer>): Promise<{ bytes: Uint8Array<ArrayBuffer>; done: boolean }>;
  close(): void;
  /** Whether a read can hang for good, so it needs the watchdog. */
  guarded: boolean;
}

function byobSource(blob: Blob): ChunkSource | undefined {
  const stream = blob.stream();
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream (older engines, polyfills): the default reader still works.
    return defaultSource(stream);
  }
  return {
    guarded: true,
    async read(into) {
      const { done, value } = await reader.read(into);
      // At the end the (empty) view still carries our buffer, which must not be lost.
      const bytes = value ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : into;
      return { bytes: done ? bytes.subarray(0, 0) : bytes, done };
    },
    close: () => void reader.cancel().catch(() => {}),
  };
}

function defaultSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  let pending: Uint8Array | undefined;
  return {
    guarded: true,
    async read(into) {
      if (!pending || pending.byteLength === 0) {
        const { done, value } = await reader.read();
        if (done) return { bytes: into.subarray(0, 0), done };
        pending = value;
      }
      const n = Math.min(into.byteLength, pending.byteLength);
      into.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return { bytes: into.subarray(0, n), done: false };
    },
    close: () => void reader.cancel().catch(() => {}),
  };
}

function sliceSource(blob: Blob): ChunkSource {
  let position = 0;
  return {
    guarded: false,
    async read(into) {
      if (position >= blob.size) return { bytes: into.subarray(0, 0), done: true };
      const bytes = new Uint8Array(await blob.slice(position, position + into.byteLength).arrayBuffer());
      position += bytes.byteLength;
      into.set(bytes);
      return { bytes: into.subarray(0, bytes.byteLength), done: false };
    },
    close() {},
  };
}

function withWatchdog<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StallError()), ms);
  });
  return Promise.race([promise, stalled]).finally(() => clearTimeout(timer));
}

/**
 * Yields the blob's bytes in order, `chunkSize` at a time (the last chunk shorter). Each view is only
 * valid until the next iteration: two buffers take turns, so the next chunk is read while the caller
 * hashes this one, and memory stays at two chunks whatever the blob's size.
 */
export async function* readBlobChunks(blob: Blob, options: ReadBlobOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const { signal } = options;
  const bufferSize = Math.min(chunkSize, Math.max(blob.size, 1));
  const spare: ArrayBuffer[] = [];
  /** Bytes the caller has been given and is done with. */
  let offset = 0;
  let attempts = 0;
  while (offset < blob.size) {
    const restStart = offset;
    const rest = restStart === 0 ? blob : blob.slice(restStart);
    attempts += 1;
    const source = (attempts <= MAX_BYOB_ATTEMPTS && byobSource(rest)) || sliceSource(rest);
    // Reads blob bytes [start, start + bufferSize) into a buffer; reads on the source stay sequential.
    const fill = async (start: number): Promise<Uint8Array<ArrayBuffer>> => {
      let buffer = spare.pop() ?? new ArrayBuffer(bufferSize);
      const target = Math.min(bufferSize, blob.size - start);
      let filled = 0;
      while (filled < target) {
        if (signal?.aborted) throw abortError(signal.reason);
        const read = source.read(new Uint8Array(buffer, filled, target - filled));
        const { bytes, done } = await (source.guarded ? withWatchdog(read, stallTimeoutMs) : read);
        buffer = bytes.buffer;
        filled += bytes.byteLength;
        if (done && filled < target) {
          throw new ObjectStoreError(
            'INVALID_INPUT',
            `The file gave ${start + filled} of its ${blob.size} bytes: it changed while it was being read.`,
          );
        }
      }
      return new Uint8Array(buffer, 0, filled);
    };
    const prefetch = (start: number) => {
      const promise = fill(start);
      promise.catch(() => {}); // Seen when awaited; unawaited if the caller stops early.
      return promise;
    };
    try {
      let next: Promise<Uint8Array<ArrayBuffer>> | undefined = prefetch(offset);
      while (next) {
        const chunk: Uint8Array<ArrayBuffer> = await next;
        if (signal?.aborted) throw abortError(signal.reason);
        const end = offset + chunk.byteLength;
        next = end < blob.size ? prefetch(end) : undefined;
        yield chunk;
        offset = end;
        spare.push(chunk.buffer);
      }
    } catch (error) {
      if (!(error instanceof StallError)) throw error;
      // The stalled read keeps (detached) its buffer; the next reader starts where the caller is.
      options.onStall?.(offset);
    } finally {
      source.close();
    }
  }
  if (signal?.aborted) throw abortError(signal.reason);
}
