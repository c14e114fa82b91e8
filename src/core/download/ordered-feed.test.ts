import { describe, expect, it } from 'vitest';
import { OrderedFeed } from './ordered-feed';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('OrderedFeed', () => {
  it('hands chunks to the consumer in offset order, whatever order they arrive in', async () => {
    const seen: number[] = [];
    const feed = new OrderedFeed(async (chunk) => void seen.push(...chunk), 100);
    feed.insert(3, bytes(3, 4));
    feed.insert(5, bytes(5));
    expect(seen).toEqual([]);
    feed.insert(0, bytes(0, 1, 2));
    await feed.consumedTo(6);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drops bytes the consumer already has', async () => {
    const seen: number[] = [];
    const feed = new OrderedFeed(async (chunk) => void seen.push(...chunk), 100);
    feed.insert(0, bytes(0, 1, 2));
    await feed.consumedTo(3);
    feed.insert(0, bytes(0, 1, 2, 3, 4));
    await feed.consumedTo(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('holds producers whose bytes would take the out-of-order ones past the limit', async () => {
    const feed = new OrderedFeed(async () => {}, 4);
    await feed.waitForRoom(4, 3);
    feed.insert(4, bytes(4, 5, 6));
    let released = false;
    const room = feed.waitForRoom(7, 2).then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(released).toBe(false);
    // Bytes that continue the in-order run never wait: they drain by themselves.
    await feed.waitForRoom(0, 4);
    feed.insert(0, bytes(0, 1, 2, 3));
    await room;
    expect(released).toBe(true);
  });

  it('keeps its count when the consumer transfers (detaches) the chunk buffer', async () => {
    const feed = new OrderedFeed(async (chunk) => {
      structuredClone(chunk.buffer, { transfer: [chunk.buffer as ArrayBuffer] });
    }, 100);
    feed.insert(0, bytes(1, 2, 3));
    await feed.consumedTo(3);
    expect(feed.bufferedBytes).toBe(0);
  });

  it('rejects waiters once the consumer failed', async () => {
    const feed = new OrderedFeed(async () => {
      throw new Error('disk full');
    }, 100);
    feed.insert(0, bytes(1));
    await expect(feed.consumedTo(1)).rejects.toThrow('disk full');
    await expect(feed.waitForRoom(5, 1)).rejects.toThrow('disk full');
  });
});
