import { abortError, ObjectStoreError } from '../errors';

/** Reads a response body into buffers the caller provides. */
export interface BodyReader {
  /**
   * Fills the start of `view` (never empty) with the next bytes and returns that part. A BYOB read moves
   * the memory to a new ArrayBuffer, detaching the old one: go on with the returned view's `buffer`.
   * An empty result is the end of the body.
   */
  readInto(view: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

/**
 * Prefers a BYOB reader: fetch bodies are byte streams in Chromium, and reading into our own reused
 * buffers keeps the page's memory flat (default readers hand out a fresh 64 KiB chunk each time, which
 * the garbage collector reclaims late: hundreds of MiB per GiB). Other streams fall back to copying.
 * A read that brings nothing for `stallMs` fails as `NETWORK`, so a hung connection is retried, not waited on.
 */
export function openBodyReader(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  stallMs: number,
): BodyReader {
  let byob: ReadableStreamBYOBReader | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    reader = body.getReader();
  }
  let leftover: Uint8Array | undefined;
  let ended = false;
  let stalled: ObjectStoreError | undefined;
  // One watchdog per body, not a timer per read: reads come every few microseconds on a fast link.
  // Only a pending read counts: a caller holding off (backpressure) is not a stalled connection.
  let readSince: number | undefined;
  const watchdog = setInterval(
    () => {
      if (readSince === undefined || Date.now() - readSince < stallMs) return;
      stalled = new ObjectStoreError('NETWORK', `No bytes arrived for ${stallMs / 1000} s.`);
      stop();
    },
    Math.max(10, Math.min(stallMs / 4, 5000)),
  );
  const stop = () => {
    clearInterval(watchdog);
    if (!ended) void (byob ?? reader)!.cancel(stalled).catch(() => {});
    ended = true;
  };

  const guarded = async <T>(read: Promise<T>): Promise<T> => {
    readSince = Date.now();
    try {
      const result = await read;
      if (stalled) throw stalled;
      return result;
    } catch (cause) {
      if (signal.aborted) throw abortError(signal.reason);
      if (stalled) throw stalled;
      if (cause instanceof ObjectStoreError) throw cause;
      throw new ObjectStoreError('NETWORK', 'The connection dropped mid-download.', { cause });
    } finally {
      readSince = undefined;
    }
  };

  return {
    async readInto(view) {
      if (byob) {
        const result = await guarded(byob.read(view));
        if (result.done) stop();
        return result.value ?? new Uint8Array(0);
      }
      if (!leftover) {
        const result = await guarded(reader!.read());
        if (result.done) {
          stop();
          return view.subarray(0, 0);
        }
        leftover = result.value;
      }
      const take = Math.min(view.byteLength, leftover.byteLength);
      view.set(leftover.subarray(0, take));
      leftover = take === leftover.byteLength ? undefined : leftover.subarray(take);
      return view.subarray(0, take);
    },
    cancel: stop,
  };
}
