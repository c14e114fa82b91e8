import { describe, expect, it } from 'vitest';
import { isObjectStoreError } from '../errors';
import { openBodyReader } from './body-reader';

/** A byte stream (as fetch bodies are in Chromium) of `size` counting bytes, failing after `failAt` if set. */
function byteBody(size: number, options: { chunk?: number; failAt?: number } = {}) {
  const chunk = options.chunk ?? 7;
  const state = { sent: 0, pulls: 0 };
  const source: UnderlyingByteSource = {
    type: 'bytes',
    pull(controller) {
      state.pulls++;
      if (options.failAt !== undefined && state.sent >= options.failAt) {
        controller.error(new TypeError('network error'));
        return;
      }
      if (state.sent >= size) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const view = controller.byobRequest!.view as Uint8Array;
      const count = Math.min(
        chunk,
        view.byteLength,
        size - state.sent,
        (options.failAt ?? size) - state.sent,
      );
      for (let i = 0; i < count; i++) view[i] = (state.sent + i) & 0xff;
      state.sent += count;
      controller.byobRequest!.respond(count);
    },
  };
  return { stream: new ReadableStream(source) as ReadableStream<Uint8Array>, state };
}

async function readAll(reader: ReturnType<typeof openBodyReader>, viewSize: number): Promise<number[]> {
  const out: number[] = [];
  let buffer = new ArrayBuffer(viewSize);
  for (;;) {
    const got = await reader.readInto(new Uint8Array(buffer));
    if (got.byteLength === 0) return out;
    out.push(...got);
    buffer = got.buffer;
  }
}

describe('openBodyReader with read-ahead', () => {
  it.each([1, 5, 16, 64])('hands out every byte in order into %i-byte views', async (viewSize) => {
    const { stream } = byteBody(100);
    const reader = openBodyReader(stream, new AbortController().signal, 30_000, { readAhead: 16 });
    const bytes = await readAll(reader, viewSize);
    expect(bytes).toEqual(Array.from({ length: 100 }, (_, i) => i & 0xff));
    reader.cancel();
  });

  it('keeps the next read pending while the caller holds what it got', async () => {
    const { stream, state } = byteBody(1000, { chunk: 16 });
    const reader = openBodyReader(stream, new AbortController().signal, 30_000, { readAhead: 16 });
    const first = await reader.readInto(new Uint8Array(16));
    expect([...first]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    // Nothing more asked by the caller, yet the stream was pulled again: a read is waiting for bytes.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.pulls).toBe(2);
    expect(state.sent).toBe(32);
    reader.cancel();
  });

  it('without read-ahead, pulls only when asked', async () => {
    const { stream, state } = byteBody(1000, { chunk: 16 });
    const reader = openBodyReader(stream, new AbortController().signal, 30_000);
    await reader.readInto(new Uint8Array(16));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.pulls).toBe(1);
    reader.cancel();
  });

  it('hands out the bytes read before a failure, then fails as NETWORK', async () => {
    const { stream } = byteBody(1000, { chunk: 10, failAt: 30 });
    const reader = openBodyReader(stream, new AbortController().signal, 30_000, { readAhead: 10 });
    const got: number[] = [];
    let buffer = new ArrayBuffer(4);
    const error = await (async () => {
      try {
        for (;;) {
          const view = await reader.readInto(new Uint8Array(buffer));
          got.push(...view);
          buffer = view.buffer;
        }
      } catch (caught) {
        return caught;
      }
    })();
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(isObjectStoreError(error) && error.code).toBe('NETWORK');
  });
});
