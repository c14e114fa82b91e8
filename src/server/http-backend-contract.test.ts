import { afterEach, describe, expect, it } from 'vitest';
import { createHttpBackend } from '../adapters/http-backend';
import { isObjectStoreError } from '../core/errors';
import { sha256, startTestStore, type TestStore } from './__tests__/harness';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('createHttpBackend against the local store', () => {
  it('round-trips upload, metadata, download, CDN and delete through the real server', async () => {
    store = await startTestStore();
    const backend = createHttpBackend({ baseUrl: store.url });
    const data = new TextEncoder().encode('through the client adapter');
    const { url } = await backend.createUploadUrl({
      key: 'adapter',
      length: data.length,
      checksum: sha256(data),
      checksumType: 'SHA256',
      cdn: true,
    });
    expect((await fetch(url, { method: 'PUT', body: data })).status).toBe(200);
    expect(await backend.get('adapter')).toBeUndefined();
    expect(await backend.get('adapter', { cdn: true })).toMatchObject({ key: 'adapter', size: data.length });
    const download = await backend.createDownloadUrl('adapter', { cdn: true });
    expect(await (await fetch(download!.url)).text()).toBe('through the client adapter');
    const cdn = await backend.createCDNUrl!('adapter', { ttlSeconds: 60 });
    expect((await fetch(cdn!.url)).headers.get('cache-control')).toBe('public, max-age=60');
    await backend.delete('adapter', { cdn: true });
    expect(await backend.get('adapter', { cdn: true })).toBeUndefined();
    expect(await backend.createDownloadUrl('adapter', { cdn: true })).toBeUndefined();
  });

  it('hands out several upload URLs in one call (createUploadUrls), in order', async () => {
    store = await startTestStore();
    const backend = createHttpBackend({ baseUrl: store.url });
    const files = ['first', 'second one'].map((text) => new TextEncoder().encode(text));
    const urls = await backend.createUploadUrls!(
      files.map((data, i) => ({
        key: `many/${i}`,
        length: data.length,
        checksum: sha256(data),
        checksumType: 'SHA256',
      })),
    );
    expect(urls).toHaveLength(2);
    for (const [i, { url }] of urls.entries())
      expect((await fetch(url, { method: 'PUT', body: files[i] })).status).toBe(200);
    expect(await backend.get('many/1')).toMatchObject({
      size: files[1]!.length,
      checksum: sha256(files[1]!),
    });
    const bad = await backend.createUploadUrls!([
      { key: 'k', length: -1, checksum: 'x', checksumType: 'SHA256' },
    ]).catch((error: unknown) => error);
    expect(isObjectStoreError(bad) && bad.code).toBe('INVALID_REQUEST');
  });

  it('surfaces the store errors as typed ObjectStoreErrors', async () => {
    const frozen = Date.now();
    store = await startTestStore({ limits: { requestsPerMinute: 1 }, now: () => frozen });
    const backend = createHttpBackend({ baseUrl: store.url });
    const bad = await backend
      .createUploadUrl({ key: 'k', length: -1, checksum: 'x', checksumType: 'SHA256' })
      .catch((error: unknown) => error);
    expect(isObjectStoreError(bad) && bad.code).toBe('INVALID_REQUEST');
    const limited = await backend.get('k').catch((error: unknown) => error);
    expect(isObjectStoreError(limited) && [limited.code, limited.retryAfterSeconds]).toEqual([
      'TOO_MANY_REQUESTS',
      60,
    ]);
  });
});
