import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { setUpTestStores, sha256, type TestStore } from './__tests__/harness';

const { clock, start } = setUpTestStores();

async function setFaults(s: TestStore, patch: unknown): Promise<Response> {
  return fetch(`${s.url}/_admin/faults`, { method: 'POST', body: JSON.stringify(patch) });
}

const data = randomBytes(256 * 1024);

describe('admin endpoints', () => {
  it('read, merge, clear with null, and reset the settings', async () => {
    const s = await start();
    expect(await (await fetch(`${s.url}/_admin/faults`)).json()).toEqual({});
    const set = await setFaults(s, { latencyMs: 5, errorRate: 0.25, corruptDownload: true });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ latencyMs: 5, errorRate: 0.25, corruptDownload: true });
    expect(await (await setFaults(s, { latencyMs: null, dropCount: 2 })).json()).toEqual({
      errorRate: 0.25,
      corruptDownload: true,
      dropCount: 2,
    });
    const reset = await fetch(`${s.url}/_admin/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await (await fetch(`${s.url}/_admin/faults`)).json()).toEqual({});
  });

  it.each([
    [{ errorRate: 2 }, 'errorRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ corruptDownload: 'yes' }, 'corruptDownload'],
    [{ explode: true }, 'explode'],
    [[1], 'body'],
  ])('refuse %j with 400 naming %s', async (patch, field) => {
    const s = await start();
    const response = await setFaults(s, patch);
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('are absent unless admin is on', async () => {
    const s = await start({ admin: false });
    expect((await fetch(`${s.url}/_admin/faults`)).status).toBe(404);
  });

  it('reset also clears the rate-limit counters', async () => {
    const s = await start({ limits: { requestsPerMinute: 1 } });
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
    expect((await s.api('metadata', { key: 'k' })).status).toBe(429);
    await fetch(`${s.url}/_admin/reset`, { method: 'POST' });
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
  });
});

describe('injected faults', () => {
  it('errorRate 1 answers API and data requests 503, never the admin endpoints', async () => {
    const s = await start();
    const url = await s.uploadUrl({ key: 'k' }, data);
    await setFaults(s, { errorRate: 1 });
    expect((await s.api('metadata', { key: 'k' })).status).toBe(503);
    expect((await fetch(url, { method: 'PUT', body: data })).status).toBe(503);
    expect((await fetch(`${s.url}/_admin/faults`)).status).toBe(200);
    await setFaults(s, { errorRate: null });
    expect((await fetch(url, { method: 'PUT', body: data })).status).toBe(200);
  });

  it('rateLimitRate 1 answers 429 TOO_MANY_REQUESTS with the configured Retry-After', async () => {
    const s = await start({ faults: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const response = await s.api('metadata', { key: 'k' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('dropUploadAfterBytes cuts the PUT, leaves nothing, and dropCount switches it off', async () => {
    const s = await start();
    const url = await s.uploadUrl({ key: 'k' }, data);
    await setFaults(s, { dropUploadAfterBytes: 1000, dropCount: 1 });
    await expect(fetch(url, { method: 'PUT', body: data })).rejects.toThrow();
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
    // The server notices the cut connection on its own schedule.
    await vi.waitFor(async () => expect(await readdir(join(s.dir, 'tmp'))).toEqual([]));
    expect(await (await fetch(`${s.url}/_admin/faults`)).json()).toEqual({});
    expect((await fetch(url, { method: 'PUT', body: data })).status).toBe(200);
  });

  it('dropUploadAfterBytes past the end of a body leaves that upload whole', async () => {
    const s = await start({ faults: { dropUploadAfterBytes: data.length + 1 } });
    // overwrite: false makes the store look at the disk before it reads the body.
    expect((await s.upload({ key: 'k', overwrite: false }, data)).status).toBe(200);
    const reference = await (await s.api('metadata', { key: 'k' })).json();
    expect(reference.checksum).toBe(sha256(data));
  });

  it('dropDownloadAfterBytes cuts the GET body short', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    const url = await s.downloadUrl('k');
    await setFaults(s, { dropDownloadAfterBytes: 70_000 });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    await expect(
      (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read())
          received += next.value.length;
      })(),
    ).rejects.toThrow();
    expect(received).toBe(70_000);
  });

  // That each connection has its own pace, not a shared one, shows in `npm run bench:download`: more GETs
  // fetch faster than one under the same pace.
  it('downloadBytesPerSecond paces GET bodies, bytes intact', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    const url = await s.downloadUrl('k');
    await setFaults(s, { downloadBytesPerSecond: 1024 * 1024 });
    const started = performance.now();
    // Two at once: a quarter of a second each at 1 MiB/s, whether or not the other runs.
    const bodies = await Promise.all([fetch(url), fetch(url)].map(async (r) => (await r).arrayBuffer()));
    const elapsed = performance.now() - started;
    for (const body of bodies) expect(sha256(new Uint8Array(body))).toBe(sha256(data));
    // A lower bound only (the pace's own arithmetic): the machine may be slower, never faster.
    expect(elapsed).toBeGreaterThanOrEqual(240);
  });

  it('/_admin/downloads counts object GETs still open and lists their ranges until reset', async () => {
    const s = await start();
    const big = randomBytes(16 * 1024 * 1024);
    expect((await s.upload({ key: 'k' }, big)).status).toBe(200);
    const url = await s.downloadUrl('k');
    const downloads = async () => (await fetch(`${s.url}/_admin/downloads`)).json();
    const whole = await fetch(url);
    const ranged = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(await ranged.arrayBuffer()).toHaveProperty('byteLength', 10);
    // The whole body is far bigger than the socket buffers: its response stays open until read or canceled.
    await vi.waitFor(async () =>
      expect(await downloads()).toEqual({ open: 1, mostOpen: 2, ranges: ['', 'bytes=10-19'] }),
    );
    await whole.body!.cancel();
    await vi.waitFor(async () => expect((await downloads()).open).toBe(0));
    await fetch(`${s.url}/_admin/reset`, { method: 'POST' });
    expect(await downloads()).toEqual({ open: 0, mostOpen: 0, ranges: [] });
  });

  it('ignoreRange answers a ranged GET with the whole object', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    const url = await s.downloadUrl('k');
    await setFaults(s, { ignoreRange: true });
    const response = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('accept-ranges')).toBe('none');
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    await setFaults(s, { ignoreRange: null });
    expect((await fetch(url, { headers: { range: 'bytes=10-19' } })).status).toBe(206);
  });

  it('cacheableDownloads answers GETs with Cache-Control: private, no-cache instead of no-store', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    const url = await s.downloadUrl('k');
    const cacheControl = async () => {
      const response = await fetch(url, { headers: { range: 'bytes=0-9' } });
      await response.arrayBuffer();
      return response.headers.get('cache-control');
    };
    expect(await cacheControl()).toBe('private, no-store');
    await setFaults(s, { cacheableDownloads: true });
    expect(await cacheControl()).toBe('private, no-cache');
    await setFaults(s, { cacheableDownloads: null });
    expect(await cacheControl()).toBe('private, no-store');
  });

  it('corruptDownload flips exactly one byte of the body', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    await setFaults(s, { corruptDownload: true });
    const body = Buffer.from(await (await fetch(await s.downloadUrl('k'))).arrayBuffer());
    expect(body.length).toBe(data.length);
    let differing = 0;
    for (let i = 0; i < data.length; i++) if (body[i] !== data[i]) differing++;
    expect(differing).toBe(1);
    expect(sha256(body)).not.toBe(sha256(data));
  });

  it('urlTtlSeconds makes new pre-signed URLs expire after N seconds', async () => {
    const s = await start();
    await setFaults(s, { urlTtlSeconds: 5 });
    const url = await s.uploadUrl({ key: 'k' }, data);
    clock.now += 6000;
    const put = await fetch(url, { method: 'PUT', body: data });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ code: 'URL_EXPIRED' });
  });

  it('latencyMs still answers every request', async () => {
    const s = await start({ faults: { latencyMs: 20 } });
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    expect((await s.api('metadata', { key: 'k' })).status).toBe(200);
  });
});

describe('sandboxes', () => {
  it('give a test its own store, faults and objects under the same server', async () => {
    const s = await start();
    const created = await fetch(`${s.url}/_admin/sandbox`, { method: 'POST' });
    expect(created.status).toBe(200);
    const { url } = (await created.json()) as { url: string };
    expect(url).toMatch(new RegExp(`^${s.url}/sandbox/[a-z0-9]+$`));
    await fetch(`${url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
    const api = (path: string, body: unknown) =>
      fetch(`${url}/api/v1/${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await api('metadata', { key: 'k' })).status).toBe(503);
    await fetch(`${url}/_admin/reset`, { method: 'POST' });
    const presign = await api('public-upload-url', {
      key: 'k',
      length: data.length,
      checksum: sha256(data),
      checksumType: 'SHA256',
    });
    const { url: putUrl } = (await presign.json()) as { url: string };
    expect(putUrl.startsWith(`${url}/objects/`)).toBe(true);
    expect((await fetch(putUrl, { method: 'PUT', body: data })).status).toBe(200);
    expect((await api('metadata', { key: 'k' })).status).toBe(200);
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
  });

  it('do not exist without admin', async () => {
    const s = await start({ admin: false });
    expect((await fetch(`${s.url}/_admin/sandbox`, { method: 'POST' })).status).toBe(404);
  });
});
