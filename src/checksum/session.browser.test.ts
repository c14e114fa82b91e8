import { describe, expect, it } from 'vitest';
import { CHECKSUM_TYPES } from '../core/types';
import { createChecksumSession } from './index';
import { sharedPool } from './pool';
import { seedFor } from './testing/cases';
import { pseudoRandomParts } from './testing/pseudo-random';
import table from './testing/reference-digests.json';

const size = 9 * 1024 * 1024 + 3;
const expected = table[String(size) as keyof typeof table];

describe('createChecksumSession in a worker', () => {
  for (const type of CHECKSUM_TYPES) {
    it(`${type}: equals Node's digest, parts transferred or copied`, async () => {
      const session = createChecksumSession(type);
      const pending: Promise<Uint8Array>[] = [];
      for (const part of pseudoRandomParts(seedFor(size), size, 1 << 20)) {
        // A view into a larger buffer is copied; a whole buffer is transferred.
        pending.push(session.update(part.subarray(0, 77)));
        const whole = part.slice(77);
        pending.push(session.update(whole));
      }
      const digest = await session.digest();
      await Promise.all(pending);
      expect(digest).toBe(expected[type]);
      expect(sharedPool().workerCount).toBeGreaterThan(0);
    });
  }

  it('transfers a whole buffer instead of copying it', async () => {
    const session = createChecksumSession('CRC32');
    const chunk = new Uint8Array(1024);
    const done = session.update(chunk);
    await done;
    expect(chunk.byteLength).toBe(0);
    await session.digest();
  });

  it('hands the hashed bytes back in a buffer of their own, to be refilled', async () => {
    const session = createChecksumSession('SHA1');
    const chunk = new Uint8Array(4096).map((_, i) => i % 251);
    const original = chunk.slice();
    const back = await session.update(chunk);
    expect(chunk.byteLength).toBe(0);
    expect(back.byteOffset).toBe(0);
    expect(back.buffer.byteLength).toBe(4096);
    expect(back).toEqual(original);
    back.fill(0);
    await session.digest();
  });

  it('frees its worker on abort for the next session', async () => {
    const session = createChecksumSession('SHA256');
    const parts = [...pseudoRandomParts(seedFor(size), size, 1 << 20)];
    await session.update(parts[0]!.slice());
    session.abort();
    await expect(session.digest()).rejects.toMatchObject({ code: 'ABORTED' });
    const next = createChecksumSession('SHA256');
    for (const part of parts) await next.update(part);
    expect(await next.digest()).toBe(expected.SHA256);
  });
});
