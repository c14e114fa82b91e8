import { describe, expect, it } from 'vitest';
import { readBlobChunks } from './blob-reader';
import { pseudoRandomParts } from './testing/pseudo-random';

async function collect(blob: Blob, options: Parameters<typeof readBlobChunks>[1]) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readBlobChunks(blob, options)) chunks.push(chunk.slice());
  return Buffer.concat(chunks);
}

/** A Blob whose own stream serves `before` bytes and then never answers again, like the BYOB stall. */
class StallingBlob extends Blob {
  constructor(
    parts: BlobPart[],
    private readonly before: number,
  ) {
    super(parts);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const source = super.stream().getReader();
    let served = 0;
    return new ReadableStream({
      type: 'bytes',
      pull: async (controller) => {
        if (served >= this.before) return new Promise<void>(() => {});
        const { done, value } = await source.read();
        if (done) return controller.close();
        const part = value.subarray(0, this.before - served);
        served += part.byteLength;
        controller.enqueue(part);
      },
    });
  }
}

describe('readBlobChunks', () => {
  const bytes = Buffer.concat([...pseudoRandomParts(3, 100_003)]);

  it('yields every byte in order in full chunks', async () => {
    const sizes: number[] = [];
    for await (const chunk of readBlobChunks(new Blob([bytes]), { chunkSize: 4096 }))
      sizes.push(chunk.byteLength);
    expect(sizes.slice(0, -1).every((s) => s === 4096)).toBe(true);
    expect(sizes.reduce((a, b) => a + b)).toBe(bytes.length);
    expect((await collect(new Blob([bytes]), { chunkSize: 4096 })).equals(bytes)).toBe(true);
  });

  it('reuses one buffer', async () => {
    // BYOB reads transfer the buffer (its identity changes), but it is always the one 8 KiB allocation.
    const sizes = new Set<number>();
    for await (const chunk of readBlobChunks(new Blob([bytes]), { chunkSize: 8192 }))
      sizes.add(chunk.buffer.byteLength);
    expect([...sizes]).toEqual([8192]);
  });

  it('carries on from the same offset with another reader when a read stalls', async () => {
    const stalls: number[] = [];
    const out = await collect(new StallingBlob([bytes], 50_000), {
      chunkSize: 4096,
      stallTimeoutMs: 50,
      onStall: (offset) => stalls.push(offset),
    });
    expect(stalls).toEqual([49_152]);
    expect(out.equals(bytes)).toBe(true);
  });

  it('reads nothing from an empty blob', async () => {
    expect((await collect(new Blob([]), {})).length).toBe(0);
  });
});
