import type { BodyReader } from './body-reader';

export interface PipeRange {
  /** Absolute offset of the body's first byte (0 for a whole body, the range start for a 206). */
  bodyStart: number;
  /** First byte wanted: earlier ones are read and dropped (a whole body re-read after a drop). */
  from: number;
  /** Exclusive: the body is not read past it. */
  end: number;
}

/**
 * Reads a body into `buffer` and hands it on in `buffer`-sized pieces with their absolute offsets,
 * reporting each one handed (`written`, plus body bytes read since the last report). `hand` writes the
 * piece and gives the buffer to fill next: the same one once written (a synchronous write), or another
 * while the piece is still being written; `undefined` when nothing is left to read. Bytes that arrived
 * before a failure are handed on before the failure propagates: a retry asks only for what follows.
 * Body bytes read but not handed on (skipped, or lost with a failed read) are reported last, as `written` 0.
 * Resolves with the buffer to reuse: a BYOB read moves it.
 */
export async function pipeBody(
  reader: BodyReader,
  range: PipeRange,
  buffer: ArrayBuffer,
  hand: (
    bytes: Uint8Array<ArrayBuffer>,
    at: number,
    left: number,
  ) => ArrayBuffer | undefined | Promise<ArrayBuffer | undefined>,
  onWritten: (written: number, fetched: number) => void,
  /** Each read as it arrives, before it is handed on (a live count of body bytes). */
  onRead?: (bytes: number) => void,
): Promise<ArrayBuffer> {
  let position = range.bodyStart;
  let writtenTo = range.from;
  let filled = 0;
  let fetched = 0;
  const flush = async () => {
    // A failed BYOB read leaves its buffer detached: what was read into it is gone, the retry asks again.
    if (filled === 0 || buffer.byteLength === 0) return;
    // A range shortened while a read was under way (`shortenable`): bytes past its new end are another GET's.
    const count = Math.min(filled, range.end - writtenTo);
    if (count > 0) {
      const next = await hand(new Uint8Array(buffer, 0, count), writtenTo, range.end - position);
      writtenTo += count;
      onWritten(count, fetched);
      fetched = 0;
      buffer = next ?? buffer;
    }
    filled = 0;
  };
  try {
    for (;;) {
      const want = writtenTo + filled;
      if (want >= range.end) break;
      const skip = position < want ? Math.min(want - position, buffer.byteLength - filled) : 0;
      const room = skip > 0 ? skip : Math.min(buffer.byteLength - filled, range.end - position);
      const view = await reader.readInto(new Uint8Array(buffer, filled, room));
      buffer = view.buffer;
      if (view.byteLength === 0) break;
      fetched += view.byteLength;
      onRead?.(view.byteLength);
      position += view.byteLength;
      // Skipped bytes went into the free end of the buffer; `filled` stays, so they are overwritten.
      if (skip === 0) filled += view.byteLength;
      if (filled === buffer.byteLength) await flush();
    }
  } finally {
    reader.cancel();
    await flush();
    if (fetched > 0) onWritten(0, fetched);
  }
  return buffer;
}

/**
 * A range whose end may move closer while its body is piped: `range` goes to `pipeBody`, `onRead` counts
 * what arrived. `shorten` moves the end to `end`, or only as far back as the bytes already read allow (they
 * are written where they belong), and returns the end the pipe will stop at. Bytes of a read under way past
 * the new end are dropped.
 */
export function shortenable<R extends PipeRange>(
  range: R,
): { range: R; onRead: (bytes: number) => void; shorten: (end: number) => number } {
  const live = { ...range };
  let position = range.bodyStart;
  return {
    range: live,
    onRead: (bytes) => {
      position += bytes;
    },
    shorten(end) {
      live.end = Math.min(live.end, Math.max(end, position, live.from));
      return live.end;
    },
  };
}
