// The session's in-thread fallback (Node has no Worker); the worker path is in session.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { CHECKSUM_TYPES } from '../core/types';
import { createChecksumSession } from './index';
import { seedFor } from './testing/cases';
import { pseudoRandomParts } from './testing/pseudo-random';
import table from './testing/reference-digests.json';

const size = 3 * 1024 * 1024 + 5;

describe('createChecksumSession without a Worker', () => {
  for (const type of CHECKSUM_TYPES) {
    it(`${type}: equals Node's digest when fed in uneven parts without waiting`, async () => {
      const session = createChecksumSession(type);
      const updates = [...pseudoRandomParts(seedFor(size), size, 1 << 20)].flatMap((part) => [
        session.update(part.subarray(0, 1000)),
        session.update(part.subarray(1000)),
      ]);
      const digest = session.digest();
      await Promise.all(updates);
      expect(await digest).toBe(table[String(size) as keyof typeof table][type]);
    });
  }

  it('hashes nothing to the empty digest', async () => {
    expect(await createChecksumSession('SHA256').digest()).toBe(table['0'].SHA256);
  });

  it('refuses updates after digest and after abort', async () => {
    const done = createChecksumSession('CRC32');
    await done.digest();
    await expect(done.update(new Uint8Array(1))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const controller = new AbortController();
    const aborted = createChecksumSession('CRC32', { signal: controller.signal });
    controller.abort();
    await expect(aborted.update(new Uint8Array(1))).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(aborted.digest()).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('rejects pending calls when aborted', async () => {
    const session = createChecksumSession('SHA1');
    const update = session.update(new Uint8Array(10));
    session.abort();
    await expect(update).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
