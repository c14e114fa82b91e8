import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { setUpTestStores, sha256, type TestStore } from './__tests__/harness';

const { clock, start } = setUpTestStores();
let store: TestStore;
beforeEach(async () => {
  store = await start();
});

const data = Buffer.from('0123456789abcdefghij');

async function stored(key = 'k', contentType = 'text/plain'): Promise<string> {
  expect((await store.upload({ key }, data, { 'content-type': contentType })).status).toBe(200);
  return store.downloadUrl(key);
}

const text = async (response: Response) => Buffer.from(await response.arrayBuffer()).toString();

describe('GET and HEAD', () => {
  it('serve the whole object with its validators and kept Content-Type', async () => {
    const url = await stored();
    const reference = await (await store.api('metadata', { key: 'k' })).json();
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(await text(get)).toBe(data.toString());
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const response of [get, head]) {
      expect(response.headers.get('content-length')).toBe(String(data.length));
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(response.headers.get('etag')).toBe(`"${reference.currentVersion}"`);
      expect(response.headers.get('last-modified')).toBe(new Date(reference.updatedAt).toUTCString());
      // Not cached, and so not read ahead of the reader into a Chromium page's memory.
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
    expect(await text(head)).toBe('');
  });

  it('default to application/octet-stream when the PUT had no Content-Type', async () => {
    const url = await store.uploadUrl({ key: 'raw' }, data);
    // A Blob without type makes fetch send no Content-Type.
    expect((await fetch(url, { method: 'PUT', body: new Blob([data]) })).status).toBe(200);
    const get = await fetch(await store.downloadUrl('raw'));
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('use the contentType of the upload body when the PUT sends none', async () => {
    const url = await store.uploadUrl({ key: 'typed', contentType: 'image/png' }, data);
    expect((await fetch(url, { method: 'PUT', body: new Blob([data]) })).status).toBe(200);
    expect((await fetch(await store.downloadUrl('typed'))).headers.get('content-type')).toBe('image/png');
  });

  it.each([
    ['bytes=0-4', '01234', 'bytes 0-4/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 'hij', 'bytes 17-19/20'],
    ['bytes=18-99', 'ij', 'bytes 18-19/20'],
    ['bytes=-50', data.toString(), 'bytes 0-19/20'],
  ])('answer Range %s with 206', async (range, body, contentRange) => {
    const response = await fetch(await stored(), { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(contentRange);
    expect(response.headers.get('content-length')).toBe(String(body.length));
    expect(await text(response)).toBe(body);
  });

  it.each(['bytes=20-', 'bytes=25-30', 'bytes=-0'])('answer unsatisfiable %s with 416', async (range) => {
    const response = await fetch(await stored(), { headers: { range } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */20');
  });

  it.each(['bytes=0-1,5-6', 'items=0-4', 'bytes=5-2'])(
    'answer %s with the whole body (200)',
    async (range) => {
      const response = await fetch(await stored(), { headers: { range } });
      expect(response.status).toBe(200);
      expect(await text(response)).toBe(data.toString());
    },
  );

  it('honour If-Range: the range when the ETag matches, the whole new body when not', async () => {
    const url = await stored();
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag')!;
    const same = await fetch(url, { headers: { range: 'bytes=0-1', 'if-range': etag } });
    expect(same.status).toBe(206);
    await stored('k');
    const changed = await fetch(await store.downloadUrl('k'), {
      headers: { range: 'bytes=0-1', 'if-range': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await text(changed)).toBe(data.toString());
  });

  it('answer If-None-Match with the current ETag with 304, and HEAD with Range with 206 headers', async () => {
    const url = await stored();
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = await fetch(url, { method: 'HEAD', headers: { range: 'bytes=2-5' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe('bytes 2-5/20');
    expect(head.headers.get('content-length')).toBe('4');
  });

  it('answer If-Match with another ETag with 412', async () => {
    const response = await fetch(await stored(), { headers: { 'if-match': '"old"' } });
    expect(response.status).toBe(412);
    expect(await response.json()).toMatchObject({ code: 'OBJECT_CHANGED' });
  });

  it('serve an empty object', async () => {
    const empty = new Uint8Array(0);
    expect((await store.upload({ key: 'empty' }, empty)).status).toBe(200);
    const response = await fetch(await store.downloadUrl('empty'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect((await fetch(await store.downloadUrl('empty'), { headers: { range: 'bytes=0-' } })).status).toBe(
      416,
    );
  });

  it('refuse expired and tampered download URLs with 403', async () => {
    const url = new URL(await stored());
    url.searchParams.set('key', 'other');
    expect(await (await fetch(url)).json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const fresh = await store.downloadUrl('k');
    clock.now += 3601_000;
    const expired = await fetch(fresh);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ code: 'URL_EXPIRED' });
  });

  it('finish a download started before an overwrite with the version it started with', async () => {
    const old = randomBytes(32 * 1024 * 1024);
    expect((await store.upload({ key: 'big' }, old)).status).toBe(200);
    const response = await fetch(await store.downloadUrl('big'));
    const reader = response.body!.getReader();
    const first = await reader.read();
    const replacement = Buffer.alloc(1000, 7);
    expect((await store.upload({ key: 'big' }, replacement)).status).toBe(200);
    const chunks: Uint8Array[] = [first.value!];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    const received = Buffer.concat(chunks);
    expect(received.length).toBe(old.length);
    expect(sha256(received)).toBe(sha256(old));
    const fresh = await fetch(await store.downloadUrl('big'));
    expect(Buffer.from(await fresh.arrayBuffer()).equals(replacement)).toBe(true);
    expect(
      (await readdir(join(store.dir, 'objects', 'default'))).filter((n) => n.endsWith('.bin')),
    ).toHaveLength(1);
  });
});

describe('CDN bucket', () => {
  it('keeps cdn objects apart and serves CDN URLs with Cache-Control', async () => {
    expect((await store.upload({ key: 'pic', cdn: true }, data)).status).toBe(200);
    expect((await store.api('metadata', { key: 'pic' })).status).toBe(404);
    expect((await store.api('metadata', { key: 'pic', cdn: true })).status).toBe(200);
    const cdnUrl = await store.api('cdn-url', { key: 'pic', ttlSeconds: 600 });
    expect(cdnUrl.status).toBe(200);
    const response = await fetch(((await cdnUrl.json()) as { url: string }).url);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    expect(await text(response)).toBe(data.toString());
    const viaDownload = await fetch(await store.downloadUrl('pic', true));
    expect(await text(viaDownload)).toBe(data.toString());
    expect((await store.api('delete', { key: 'pic' })).status).toBe(204);
    expect((await store.api('metadata', { key: 'pic', cdn: true })).status).toBe(200);
    expect((await store.api('delete', { key: 'pic', cdn: true })).status).toBe(204);
    expect((await store.api('metadata', { key: 'pic', cdn: true })).status).toBe(404);
  });

  it('has no CDN URL for objects of the default bucket', async () => {
    await stored('plain');
    expect((await store.api('cdn-url', { key: 'plain' })).status).toBe(404);
  });

  it('lets a CDN URL expire after its ttlSeconds', async () => {
    expect((await store.upload({ key: 'pic', cdn: true }, data)).status).toBe(200);
    const { url } = (await (await store.api('cdn-url', { key: 'pic', ttlSeconds: 10 })).json()) as {
      url: string;
    };
    clock.now += 11_000;
    expect(await (await fetch(url)).json()).toMatchObject({ code: 'URL_EXPIRED' });
  });
});
