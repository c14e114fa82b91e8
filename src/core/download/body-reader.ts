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
  options: {
    /**
     * Keep one BYOB read of this many bytes pending while the caller works on what it got, and copy
     * from it. For a caller that writes synchronously (a sync access handle in a worker): its thread
     * cannot take bytes during the write, but a read already waiting is filled as soon as it is free,
     * not after it asked again. 1 GiB into OPFS in a hand-written worker, 4 ranges: 771–902 MB/s with a
     * read pending, 493–522 MB/s without (a probe of this session, docs/download.md). Default: off.
     */
    readAhead?: number;
  } = {},
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

  // Read-ahead: the read in flight, and what it brought that the caller has not taken yet.
  let ahead: Promise<Uint8Array<ArrayBuffer>> | undefined;
  let held: Uint8Array<ArrayBuffer> | undefined;
  let spare: ArrayBuffer | undefined;
  const readAhead = () => {
    const into = new Uint8Array(spare ?? new ArrayBuffer(options.readAhead!));
    spare = undefined;
    ahead = guarded(byob!.read(into)).then((result) => {
      if (result.done) stop();
      return (result.value ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>;
    });
    // Observed by the next `readInto`; not an unhandled rejection if the caller stops first.
    ahead.catch(() => {});
  };

  return {
    async readInto(view) {
      if (byob && options.readAhead) {
        if (!held) {
          if (!ahead) {
            if (ended) return view.subarray(0, 0);
            readAhead();
          }
          const got = await ahead!;
          ahead = undefined;
          if (got.byteLength === 0) return view.subarray(0, 0);
          held = got;
        }
        const count = Math.min(view.byteLength, held.byteLength);
        view.set(held.subarray(0, count));
        if (count === held.byteLength) {
          spare = held.buffer;
          held = undefined;
          if (!ended) readAhead();
        } else held = held.subarray(count);
        return view.subarray(0, count);
      }
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
