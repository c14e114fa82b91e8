import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUpTestStores, type TestStore } from './__tests__/harness';
import { clientWentAway } from './client-gone';

const { start } = setUpTestStores();
afterEach(() => {
  vi.restoreAllMocks();
});

/** Sends the head and part of a body of `length` bytes, then drops the connection. */
async function dropMidBody(
  url: string,
  method: string,
  length: number,
  headers: Record<string, string> = {},
) {
  await new Promise<void>((resolve) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(length) } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(Buffer.alloc(Math.floor(length / 2), 1), () => setTimeout(() => req.destroy(), 50));
  });
  // Let the store see the close and finish whatever it does with the request.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('a client that goes away mid-request', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await start();
  });

  it('is not logged as an unexpected error (PUT body, API body)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const body = Buffer.alloc(64 * 1024, 1);
    const url = await store.uploadUrl({ key: 'k' }, body);
    await dropMidBody(url, 'PUT', body.length);
    await dropMidBody(`${store.url}/api/v1/metadata`, 'POST', 200, { 'content-type': 'application/json' });
    expect(errors).not.toHaveBeenCalled();
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
  });
});

describe('clientWentAway', () => {
  // Seen once per CI run in the e2e log (a canceled upload, Node's `abortIncoming`), not reproduced here by
  // timing: the rule itself is tested instead.
  it.each([
    ['left mid-body', { destroyed: true, complete: false }, new Error('x'), true],
    [
      'left after the whole body arrived, before it was read (ECONNRESET "aborted")',
      { destroyed: true, complete: true },
      Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
      true,
    ],
    [
      'still connected',
      { destroyed: false, complete: true },
      Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
      false,
    ],
    [
      'a failure of ours after the body arrived',
      { destroyed: true, complete: true },
      new Error('disk full'),
      false,
    ],
  ])('tells a client that went away (%s) from a failure', (_label, req, error, gone) => {
    expect(clientWentAway(req, error)).toBe(gone);
  });
});
