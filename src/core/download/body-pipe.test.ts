import { describe, expect, it } from 'vitest';
import { ObjectStoreError } from '../errors';
import { pipeBody, shortenable } from './body-pipe';
import type { BodyReader } from './body-reader';

/** A body that hands out `chunks` as they are, then ends, or fails after them when `failAfter` is set. */
function scriptedReader(chunks: number[][], failAfter = false): BodyReader & { canceled: boolean } {
  const queue = chunks.map((chunk) => Uint8Array.from(chunk));
  const reader = {
    canceled: false,
    async readInto(view: Uint8Array<ArrayBuffer>) {
      const next = queue[0];
      if (!next) {
        if (failAfter) throw new ObjectStoreError('NETWORK', 'dropped');
        return view.subarray(0, 0);
      }
      const take = Math.min(view.byteLength, next.byteLength);
      view.set(next.subarray(0, take));
      if (take === next.byteLength) queue.shift();
      else queue[0] = next.subarray(take);
      return view.subarray(0, take);
    },
    cancel() {
      reader.canceled = true;
    },
  };
  return reader;
}

function recorder() {
  const writes: Array<[number, number[]]> = [];
  const reports: Array<[number, number]> = [];
  return {
    writes,
    reports,
    write: (bytes: Uint8Array, at: number) => void writes.push([at, [...bytes]]),
    onWritten: (written: number, fetched: number) => void reports.push([written, fetched]),
  };
}

describe('pipeBody', () => {
  it('gathers network chunks into buffer-sized writes at their absolute offsets', async () => {
    const log = recorder();
    const reader = scriptedReader([[1, 2], [3], [4, 5, 6, 7]]);
    await pipeBody(
      reader,
      { bodyStart: 100, from: 100, end: 107 },
      new ArrayBuffer(4),
      log.write,
      log.onWritten,
    );
    expect(log.writes).toEqual([
      [100, [1, 2, 3, 4]],
      [104, [5, 6, 7]],
    ]);
    expect(log.reports).toEqual([
      [4, 4],
      [3, 3],
    ]);
    expect(reader.canceled).toBe(true);
  });

  it('drops the bytes before `from` of a whole body and stops at `end`', async () => {
    const log = recorder();
    const reader = scriptedReader([
      [0, 1, 2],
      [3, 4, 5, 6, 7, 8, 9],
    ]);
    await pipeBody(reader, { bodyStart: 0, from: 4, end: 7 }, new ArrayBuffer(8), log.write, log.onWritten);
    expect(log.writes).toEqual([[4, [4, 5, 6]]]);
    // 7 body bytes read (4 skipped), 3 written.
    expect(log.reports).toEqual([[3, 7]]);
  });

  it('writes what arrived before a drop, then rejects with the drop', async () => {
    const log = recorder();
    const reader = scriptedReader(
      [
        [1, 2, 3],
        [4, 5],
      ],
      true,
    );
    await expect(
      pipeBody(reader, { bodyStart: 0, from: 0, end: 10 }, new ArrayBuffer(4), log.write, log.onWritten),
    ).rejects.toMatchObject({ code: 'NETWORK' });
    expect(log.writes).toEqual([
      [0, [1, 2, 3, 4]],
      [4, [5]],
    ]);
    expect(log.reports).toEqual([
      [4, 4],
      [1, 1],
    ]);
  });

  it('resolves at an early end of the body with what it wrote', async () => {
    const log = recorder();
    await pipeBody(
      scriptedReader([[9, 9]]),
      { bodyStart: 50, from: 50, end: 60 },
      new ArrayBuffer(4),
      log.write,
      log.onWritten,
    );
    expect(log.writes).toEqual([[50, [9, 9]]]);
  });

  it('does not report written bytes when the write fails', async () => {
    const reports: Array<[number, number]> = [];
    const failing = () => {
      throw new Error('disk full');
    };
    await expect(
      pipeBody(
        scriptedReader([[1, 2, 3, 4]]),
        { bodyStart: 0, from: 0, end: 4 },
        new ArrayBuffer(4),
        failing,
        (w, f) => void reports.push([w, f]),
      ),
    ).rejects.toThrow('disk full');
    expect(reports).toEqual([]);
  });
});

describe('shortenable', () => {
  const bytes = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  /** A write that records, and after the first one asks the pipe to stop at `end`. */
  function shortenAfterFirstWrite(
    log: ReturnType<typeof recorder>,
    live: ReturnType<typeof shortenable>,
    end: number,
  ) {
    const asked: { answer?: number } = {};
    const write = (piece: Uint8Array, at: number) => {
      log.write(piece, at);
      asked.answer ??= live.shorten(end);
      return undefined;
    };
    return { asked, write };
  }

  it('stops the pipe at the new end and leaves the rest of the body unread', async () => {
    const log = recorder();
    const reader = scriptedReader([bytes(0, 16)]);
    const live = shortenable({ bodyStart: 100, from: 100, end: 116 });
    const { asked, write } = shortenAfterFirstWrite(log, live, 108);
    await pipeBody(reader, live.range, new ArrayBuffer(4), write, log.onWritten, live.onRead);
    expect(asked.answer).toBe(108);
    expect(log.writes).toEqual([
      [100, [0, 1, 2, 3]],
      [104, [4, 5, 6, 7]],
    ]);
    expect(reader.canceled).toBe(true);
  });

  it('moves the end only as far back as the bytes already read', async () => {
    const log = recorder();
    const live = shortenable({ bodyStart: 0, from: 0, end: 16 });
    const { asked, write } = shortenAfterFirstWrite(log, live, 2);
    await pipeBody(
      scriptedReader([bytes(0, 16)]),
      live.range,
      new ArrayBuffer(4),
      write,
      log.onWritten,
      live.onRead,
    );
    expect(asked.answer).toBe(4);
    expect(log.writes).toEqual([[0, [0, 1, 2, 3]]]);
    expect(live.shorten(12)).toBe(4);
  });

  it('drops the bytes of a read under way that pass the new end, counting them as fetched', async () => {
    const log = recorder();
    const live = shortenable({ bodyStart: 0, from: 0, end: 16 });
    const body = scriptedReader([bytes(0, 16)]);
    let answered: number | undefined;
    const reader = {
      ...body,
      async readInto(view: Uint8Array<ArrayBuffer>) {
        // Asked while the read waits for the network: only the first 4 bytes have arrived.
        if (view.byteOffset === 0 && answered === undefined && log.writes.length === 1)
          answered = live.shorten(6);
        return body.readInto(view);
      },
    };
    await pipeBody(reader, live.range, new ArrayBuffer(4), log.write, log.onWritten, live.onRead);
    expect(answered).toBe(6);
    expect(log.writes).toEqual([
      [0, [0, 1, 2, 3]],
      [4, [4, 5]],
    ]);
    expect(log.reports).toEqual([
      [4, 4],
      [2, 4],
    ]);
  });
});
