import { beforeAll, describe, expect, inject, it } from 'vitest';

const shared = inject('objectStoreUrl');
// Other test files set faults on the shared store at runtime; a sandbox keeps ours apart.
let base = '';
beforeAll(async () => {
  base = ((await (await fetch(`${shared}/_admin/sandbox`, { method: 'POST' })).json()) as { url: string })
    .url;
});

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return btoa(String.fromCharCode(...digest));
}

async function api(path: string, body: unknown, root = base): Promise<Response> {
  return fetch(`${root}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the local store from a page on another origin', () => {
  it('presigns, takes a PUT with Content-Type and serves a Range with its exposed headers', async () => {
    expect(new URL(base).origin).not.toBe(location.origin);
    expect(base.startsWith(`${shared}/sandbox/`)).toBe(true);
    const key = `cors/${crypto.randomUUID()}`;
    const data = new TextEncoder().encode('bytes from Chromium through CORS');
    const presign = await api('public-upload-url', {
      key,
      length: data.length,
      checksum: await sha256(data),
      checksumType: 'SHA256',
    });
    expect(presign.status).toBe(200);
    const { url } = (await presign.json()) as { url: string };
    const put = await fetch(url, { method: 'PUT', body: data, headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);

    const reference = await (await api('metadata', { key })).json();
    expect(reference).toMatchObject({ key, size: data.length, contentType: 'text/plain' });

    const { url: downloadUrl } = (await (await api('public-download-url', { key })).json()) as {
      url: string;
    };
    const ranged = await fetch(downloadUrl, { headers: { range: 'bytes=6-9' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('from');
    expect(ranged.headers.get('content-range')).toBe(`bytes 6-9/${data.length}`);
    expect(ranged.headers.get('etag')).toBe(`"${reference.currentVersion}"`);
    expect(ranged.headers.get('accept-ranges')).toBe('bytes');
    expect(ranged.headers.get('content-length')).toBe('4');
  });

  it('uploads with XMLHttpRequest and reports upload progress', async () => {
    const key = `cors/xhr-${crypto.randomUUID()}`;
    const data = crypto.getRandomValues(new Uint8Array(65_536));
    const presign = await api('public-upload-url', {
      key,
      length: data.length,
      checksum: await sha256(data),
      checksumType: 'SHA256',
    });
    const { url } = (await presign.json()) as { url: string };
    const loaded = await new Promise<number>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let last = 0;
      xhr.upload.onprogress = (event) => {
        last = event.loaded;
      };
      xhr.onload = () => (xhr.status === 200 ? resolve(last) : reject(new Error(`PUT ${xhr.status}`)));
      xhr.onerror = () => reject(new Error('network error'));
      xhr.open('PUT', url);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.send(new Blob([data]));
    });
    expect(loaded).toBe(data.length);
    expect((await api('metadata', { key })).status).toBe(200);
  });

  it('lets a page drive faults on its own sandbox, and read the errors', async () => {
    const created = await fetch(`${shared}/_admin/sandbox`, { method: 'POST' });
    const { url: sandbox } = (await created.json()) as { url: string };
    const set = await fetch(`${sandbox}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitRate: 1, retryAfterSeconds: 3 }),
    });
    expect(await set.json()).toEqual({ rateLimitRate: 1, retryAfterSeconds: 3 });
    const limited = await api('metadata', { key: 'k' }, sandbox);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((await api('metadata', { key: 'k' })).status).toBe(404);
  });
});
