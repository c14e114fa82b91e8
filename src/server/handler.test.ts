import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ObjectStoreError } from '../core/errors';
import { createObjectStoreHandler } from './http-handler';
import { createLocalObjectStore } from './local-store';
import type { ObjectStore } from './store';

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function listen(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createObjectStoreHandler as middleware', () => {
  it('serves under a mount path and passes other requests to next()', async () => {
    dir = await mkdtemp(join(tmpdir(), 'objectdrop-mount-'));
    let base = '';
    let handler: ReturnType<typeof createObjectStoreHandler> | undefined;
    const origin = await listen((req, res) => {
      // What Express's app.use('/store', handler) does: strip the mount path, call with next.
      if (req.url?.startsWith('/store/')) {
        req.url = req.url.slice('/store'.length);
        handler!(req, res, () => res.end('next'));
      } else res.end('app');
    });
    base = `${origin}/store`;
    handler = createObjectStoreHandler(createLocalObjectStore({ dir, baseUrl: base }));
    const data = new TextEncoder().encode('mounted');
    const presign = await fetch(`${base}/api/v1/upload-url`, {
      method: 'POST',
      body: JSON.stringify({
        key: 'm',
        length: data.length,
        checksum: createHash('sha1').update(data).digest('base64'),
        checksumType: 'SHA1',
      }),
    });
    const { url } = (await presign.json()) as { url: string };
    expect(url.startsWith(`${base}/objects/`)).toBe(true);
    expect((await fetch(url, { method: 'PUT', body: data })).status).toBe(200);
    expect(await (await fetch(`${base}/elsewhere`)).text()).toBe('next');
    expect(await (await fetch(`${origin}/other`)).text()).toBe('app');
  });

  it('works after a body parser has consumed the request', async () => {
    dir = await mkdtemp(join(tmpdir(), 'objectdrop-parsed-'));
    const handler = createObjectStoreHandler(createLocalObjectStore({ dir, baseUrl: 'http://unused' }));
    const origin = await listen(async (req, res) => {
      // What express.json() leaves behind: a drained stream and `req.body`.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) });
      handler(req, res);
    });
    const post = (body: unknown) =>
      fetch(`${origin}/api/v1/metadata`, { method: 'POST', body: JSON.stringify(body) });
    expect(await (await post({ key: 'k' })).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(await (await post({ key: 5 })).json()).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('serves the JSON API of any ObjectStore, mapping its errors', async () => {
    const calls: string[] = [];
    const fake: ObjectStore = {
      get: async (key) => (key === 'there' ? { key, checksum: 'c', size: 1 } : undefined),
      delete: async (key) => void calls.push(`delete ${key}`),
      createUploadUrl: async () => {
        throw new ObjectStoreError('OBJECT_EXISTS', 'exists', { status: 409 });
      },
      createPublicUploadUrl: async () => ({ url: 'https://s3.example/put' }),
      createDownloadUrl: async () => undefined,
      createPublicDownloadUrl: async () => ({ url: 'https://s3.example/get' }),
      createCDNUrl: async () => ({ url: 'https://cdn.example/x' }),
    };
    const origin = await listen(createObjectStoreHandler(fake));
    const post = (path: string, body: unknown) =>
      fetch(`${origin}/api/v1/${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect(await (await post('metadata', { key: 'there' })).json()).toEqual({
      key: 'there',
      checksum: 'c',
      size: 1,
    });
    expect((await post('metadata', { key: 'absent' })).status).toBe(404);
    expect((await post('delete', { key: 'x' })).status).toBe(204);
    expect(calls).toEqual(['delete x']);
    const upload = { key: 'k', length: 1, checksum: 'AAAAAA==', checksumType: 'CRC32C' };
    expect((await post('upload-url', upload)).status).toBe(409);
    expect(await (await post('public-upload-url', upload)).json()).toEqual({ url: 'https://s3.example/put' });
    expect(await (await post('public-upload-url', { key: 'k' })).json()).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect((await post('download-url', { key: 'k' })).status).toBe(404);
    expect(await (await post('cdn-url', { key: 'k', ttlSeconds: 60 })).json()).toEqual({
      url: 'https://cdn.example/x',
    });
    // No data plane without the local store: its URLs are not ours to serve.
    expect((await fetch(`${origin}/objects/default?key=k`)).status).toBe(404);
  });
});

describe('createLocalObjectStore without HTTP', () => {
  it('speaks the SDK shapes: undefined for missing objects, typed errors for bad input', async () => {
    dir = await mkdtemp(join(tmpdir(), 'objectdrop-sdk-'));
    const store = createLocalObjectStore({ dir, baseUrl: 'http://127.0.0.1:1' });
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.createDownloadUrl('missing')).toBeUndefined();
    expect(await store.createCDNUrl('missing')).toBeUndefined();
    await expect(store.delete('missing')).resolves.toBeUndefined();
    await expect(
      store.createUploadUrl({ key: 'k', length: -1, checksum: '', checksumType: 'SHA256' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
    await expect(store.createCDNUrl('k', { ttlSeconds: 0 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(store.get('')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
