import { abortError, ObjectStoreError } from '../core/errors';

/** Bytes hashed per step. 4 MiB measured fastest for a reused BYOB buffer (perf-ceilings.md). */
export const CHUNK_SIZE = 4 * 1024 * 1024;

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
 * Yields the blob's bytes in order, `chunkSize` at a time (the last chunk shorter), never holding more
 * than one chunk. Each view is only valid until the next iteration: the buffer is reused.
 */
export async function* readBlobChunks(blob: Blob, options: ReadBlobOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const { signal } = options;
  const bufferSize = Math.min(chunkSize, Math.max(blob.size, 1));
  let buffer = new ArrayBuffer(bufferSize);
  let offset = 0;
  let attempts = 0;
  while (offset < blob.size) {
    const rest = offset === 0 ? blob : blob.slice(offset);
    attempts += 1;
    const source = (attempts <= MAX_BYOB_ATTEMPTS && byobSource(rest)) || sliceSource(rest);
    try {
      for (;;) {
        // Stop at the blob's end rather than wait for the stream to say so: one read less per file.
        const target = Math.min(bufferSize, blob.size - offset);
        let filled = 0;
        let ended = false;
        while (filled < target) {
          if (signal?.aborted) throw abortError(signal.reason);
          const read = source.read(new Uint8Array(buffer, filled, target - filled));
          const { bytes, done } = await (source.guarded ? withWatchdog(read, stallTimeoutMs) : read);
          buffer = bytes.buffer;
          filled += bytes.byteLength;
          if (done) {
            ended = true;
            break;
          }
        }
        if (filled > 0) {
          offset += filled;
          yield new Uint8Array(buffer, 0, filled);
        }
        if (ended || offset >= blob.size) break;
      }
      if (offset !== blob.size) {
        throw new ObjectStoreError(
          'INVALID_INPUT',
          `The file gave ${offset} of its ${blob.size} bytes: it changed while it was being read.`,
        );
      }
      break;
    } catch (error) {
      if (!(error instanceof StallError)) throw error;
      // The stalled read still owns (detached) our buffer: start over with a fresh one.
      buffer = new ArrayBuffer(bufferSize);
      options.onStall?.(offset);
    } finally {
      source.close();
    }
  }
  if (signal?.aborted) throw abortError(signal.reason);
}
