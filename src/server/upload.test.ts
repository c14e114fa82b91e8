import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { setUpTestStores, sha256, type TestStore } from './__tests__/harness';

const { clock, start } = setUpTestStores();
let store: TestStore;
beforeEach(async () => {
  store = await start();
});

const bytes = (text: string) => new TextEncoder().encode(text);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('pre-signed PUT', () => {
  it('stores the body and reports its metadata', async () => {
    const data = bytes('hello objectdrop');
    const put = await store.upload({ key: 'docs/hello.txt' }, data, { 'content-type': 'text/plain' });
    expect(put.status).toBe(200);
    const meta = await store.api('metadata', { key: 'docs/hello.txt' });
    expect(meta.status).toBe(200);
    const reference = await meta.json();
    expect(reference).toMatchObject({
      key: 'docs/hello.txt',
      checksum: sha256(data),
      checksumType: 'SHA256',
      size: data.length,
      contentType: 'text/plain',
    });
    expect(reference.createdAt).toBe(reference.updatedAt);
    expect(typeof reference.currentVersion).toBe('string');
  });

  it('answers metadata of a missing key with 404', async () => {
    const response = await store.api('metadata', { key: 'nothing here' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a wrong checksum with 400 CHECKSUM_MISMATCH and leaves nothing', async () => {
    const url = await store.uploadUrl({ key: 'k' }, bytes('right'));
    const put = await fetch(url, { method: 'PUT', body: bytes('wrong') });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
    expect(await filesUnder(store.dir)).toEqual([]);
  });

  it('refuses a shorter body with 400 LENGTH_MISMATCH and leaves nothing', async () => {
    const url = await store.uploadUrl({ key: 'k' }, bytes('twelve bytes'));
    const put = await fetch(url, { method: 'PUT', body: bytes('short') });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ code: 'LENGTH_MISMATCH' });
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
    expect(await filesUnder(store.dir)).toEqual([]);
  });

  it('refuses a longer chunked body with 400 LENGTH_MISMATCH', async () => {
    const data = bytes('four');
    const url = await store.uploadUrl({ key: 'k' }, data);
    // A stream body has no Content-Length: the store has to count.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(data);
        controller.enqueue(bytes('and more'));
        controller.close();
      },
    });
    const put = await fetch(url, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ code: 'LENGTH_MISMATCH' });
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
  });

  it('refuses an expired URL with 403 URL_EXPIRED', async () => {
    const data = bytes('late');
    const url = await store.uploadUrl({ key: 'k' }, data);
    clock.now += 3601 * 1000;
    const put = await fetch(url, { method: 'PUT', body: data });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ code: 'URL_EXPIRED' });
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
  });

  it.each([
    ['key', 'other'],
    ['length', '5'],
    ['checksumType', 'SHA1'],
    ['overwrite', '0'],
    ['expires', '99999999999'],
  ])('refuses a URL with a tampered %s with 403 SIGNATURE_INVALID', async (param, value) => {
    const data = bytes('tamper');
    const url = new URL(await store.uploadUrl({ key: 'k' }, data));
    url.searchParams.set(param, value);
    const put = await fetch(url, { method: 'PUT', body: data });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect((await store.api('metadata', { key: 'k' })).status).toBe(404);
  });

  it('refuses a download URL used for a PUT', async () => {
    const data = bytes('x');
    expect((await store.upload({ key: 'k' }, data)).status).toBe(200);
    const put = await fetch(await store.downloadUrl('k'), { method: 'PUT', body: data });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});
