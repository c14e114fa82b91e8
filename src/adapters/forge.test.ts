import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rejection } from '../core/test-support/rejection';
import type { UploadUrlBody } from '../core/types';
import { createMemoryBackend } from '../testing/memory-backend';
import {
  createForgeBackend,
  type ForgeObjectStoreLike,
  type ForgeResolverContext,
  registerObjectStoreResolvers,
} from './forge';
import { bridgeTo, FakeResolver } from './test-support/fake-forge';

function setup(
  options: {
    context?: ForgeResolverContext;
    authorize?: Parameters<typeof registerObjectStoreResolvers>[1]['authorize'];
  } = {},
) {
  const memory = createMemoryBackend();
  const resolver = registerObjectStoreResolvers(new FakeResolver(), {
    store: memory.store,
    authorize: options.authorize,
  });
  const bridge = bridgeTo(resolver, options.context);
  const backend = createForgeBackend({ invoke: bridge.invoke, transport: memory.transport });
  return { memory, resolver, backend, calls: bridge.calls };
}

function bodyFor(key: string, bytes: Uint8Array, extra: Partial<UploadUrlBody> = {}): UploadUrlBody {
  const checksum = createHash('sha256').update(bytes).digest('base64');
  return { key, length: bytes.length, checksum, checksumType: 'SHA256', ...extra };
}

describe('createForgeBackend + registerObjectStoreResolvers', () => {
  it('uploads, reads metadata, downloads, makes CDN URLs and deletes through the resolvers', async () => {
    const { backend, memory, calls } = setup();
    const bytes = new TextEncoder().encode('hello forge');
    const { url } = await backend.createUploadUrl(bodyFor('docs/a.txt', bytes, { cdn: true }));
    const put = await backend.transport!.send({
      method: 'PUT',
      url,
      body: new Blob([bytes]),
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const ref = await backend.get('docs/a.txt', { cdn: true });
    expect(ref).toMatchObject({ key: 'docs/a.txt', size: bytes.length, contentType: 'text/plain' });
    const download = await backend.createDownloadUrl('docs/a.txt', { cdn: true });
    const got = await backend.transport!.send({ method: 'GET', url: download!.url });
    expect(await new Response(got.body).text()).toBe('hello forge');
    const cdn = await backend.createCDNUrl!('docs/a.txt', { ttlSeconds: 60 });
    expect(cdn?.url).toMatch(/^memory:/);
    await backend.delete('docs/a.txt', { cdn: true });
    expect(memory.objects()).toEqual([]);
    expect(calls.map((c) => c.functionKey)).toEqual([
      'objectdrop.createUploadUrl',
      'objectdrop.get',
      'objectdrop.createDownloadUrl',
      'objectdrop.createCDNUrl',
      'objectdrop.delete',
    ]);
    expect(calls[1]?.payload).toEqual({ key: 'docs/a.txt', cdn: true });
  });

  it('answers undefined for what does not exist', async () => {
    const { backend } = setup();
    expect(await backend.get('nope')).toBeUndefined();
    expect(await backend.createDownloadUrl('nope')).toBeUndefined();
    expect(await backend.createCDNUrl!('nope')).toBeUndefined();
    await backend.delete('nope');
  });

  it('returns store errors as data, and the page gets the typed error back', async () => {
    const { backend, resolver } = setup();
    const bytes = new Uint8Array([1, 2]);
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    await backend.transport!.send({ method: 'PUT', url, body: new Blob([bytes]) });
    const raw = await resolver.functions.get('objectdrop.createUploadUrl')!({
      payload: bodyFor('k', bytes, { overwrite: false }),
      context: {},
    });
    expect(raw).toEqual({ error: { code: 'OBJECT_EXISTS', message: expect.any(String), status: 409 } });
    const error = await rejection(backend.createUploadUrl(bodyFor('k', bytes, { overwrite: false })));
    expect([error.code, error.status, error.retryable]).toEqual(['OBJECT_EXISTS', 409, false]);
  });

  it('checks payloads field by field and the 1 kB limit before the store sees them', async () => {
    const { backend, resolver, memory } = setup();
    const bad = await rejection(backend.createUploadUrl({ ...bodyFor('k', new Uint8Array(1)), length: -1 }));
    expect([bad.code, bad.status, bad.retryable]).toEqual(['INVALID_REQUEST', 400, false]);
    expect(bad.message).toMatch(/^length:/);
    const long = await rejection(backend.get('k'.repeat(1100)));
    expect([long.code, long.status]).toEqual(['PAYLOAD_TOO_LARGE', 413]);
    for (const payload of ['a string', null, [1], { key: 5 }]) {
      const answer = await resolver.functions.get('objectdrop.get')!({ payload, context: {} });
      expect(answer).toMatchObject({ error: { code: 'INVALID_REQUEST', status: 400 } });
    }
    const ttl = await rejection(backend.createCDNUrl!('k', { ttlSeconds: 0 }));
    expect(ttl.message).toMatch(/^ttlSeconds:/);
    expect(memory.objects()).toEqual([]);
  });

  it('passes TOO_MANY_REQUESTS and its Retry-After through the bridge', async () => {
    const { backend, memory } = setup();
    memory.setFaults({ rateLimitRate: 1, retryAfterSeconds: 4 });
    const error = await rejection(backend.get('k'));
    expect([error.code, error.status, error.retryAfterSeconds, error.retryable]).toEqual([
      'TOO_MANY_REQUESTS',
      429,
      4,
      true,
    ]);
  });

  it('asks authorize with the Forge context, key and operation, and refuses with FORBIDDEN', async () => {
    const asked: unknown[] = [];
    const { backend, memory } = setup({
      context: { accountId: 'alice' },
      authorize: (context, key, operation) => {
        asked.push([context.accountId, key, operation]);
        return key.startsWith(`${context.accountId}/`);
      },
    });
    const bytes = new Uint8Array([9]);
    await backend.createUploadUrl(bodyFor('alice/1', bytes));
    const refused = await rejection(backend.createUploadUrl(bodyFor('bob/1', bytes)));
    expect([refused.code, refused.status, refused.retryable]).toEqual(['FORBIDDEN', 403, false]);
    expect((await rejection(backend.get('bob/1'))).code).toBe('FORBIDDEN');
    expect((await rejection(backend.delete('bob/1'))).code).toBe('FORBIDDEN');
    expect((await rejection(backend.createDownloadUrl('bob/1'))).code).toBe('FORBIDDEN');
    expect((await rejection(backend.createCDNUrl!('bob/1'))).code).toBe('FORBIDDEN');
    expect(asked).toEqual([
      ['alice', 'alice/1', 'upload'],
      ['alice', 'bob/1', 'upload'],
      ['alice', 'bob/1', 'get'],
      ['alice', 'bob/1', 'delete'],
      ['alice', 'bob/1', 'download'],
      ['alice', 'bob/1', 'cdn'],
    ]);
    expect(memory.objects()).toEqual([]);
  });

  it('turns an authorize that throws into FORBIDDEN with its message', async () => {
    const { backend } = setup({
      authorize: () => {
        throw new Error('Only admins may upload.');
      },
    });
    const error = await rejection(backend.get('k'));
    expect([error.code, error.message]).toEqual(['FORBIDDEN', 'Only admins may upload.']);
  });

  it('maps the errors @forge/object-store throws (code + responseDetails.status)', async () => {
    const thrown = (status: number, code: string) =>
      Object.assign(new Error(`forge says ${code}`), { code, responseDetails: { status, statusText: '' } });
    let next: Error = thrown(429, 'RATE_LIMIT_EXCEEDED');
    const failing: ForgeObjectStoreLike = {
      get: () => Promise.reject(next),
      delete: () => Promise.reject(next),
      createUploadUrl: () => Promise.resolve(undefined),
      createPublicUploadUrl: () => Promise.resolve(undefined),
      createDownloadUrl: () => Promise.reject(next),
      createPublicDownloadUrl: () => Promise.reject(next),
    };
    const resolver = registerObjectStoreResolvers(new FakeResolver(), { store: failing });
    const backend = createForgeBackend({ invoke: bridgeTo(resolver).invoke });
    expect(await rejection(backend.get('k'))).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    next = Object.assign(new Error('slow down'), { code: 'RATE_LIMIT_EXCEEDED' });
    expect(await rejection(backend.get('k'))).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    next = thrown(500, 'UNKNOWN_ERROR');
    expect(await rejection(backend.get('k'))).toMatchObject({
      code: 'BACKEND',
      status: 500,
      retryable: true,
    });
    next = thrown(400, 'INVALID_REQUEST');
    expect(await rejection(backend.delete('k'))).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    next = new Error('socket hang up');
    expect(await rejection(backend.createDownloadUrl('k'))).toMatchObject({
      code: 'BACKEND',
      message: 'socket hang up',
      retryable: true,
    });
    const noUrl = await rejection(backend.createUploadUrl(bodyFor('k', new Uint8Array(0))));
    expect([noUrl.code, noUrl.status]).toEqual(['BACKEND', 502]);
    expect((await rejection(backend.createCDNUrl!('k'))).status).toBe(501);
  });

  it('forwards the seed fields of an upload body and leaves contentType to the PUT header', async () => {
    const seen: [string, unknown][] = [];
    const memory = createMemoryBackend();
    const store: ForgeObjectStoreLike = {
      ...memory.store,
      createUploadUrl: (body) => {
        seen.push(['createUploadUrl', body]);
        return memory.store.createUploadUrl(body);
      },
      createPublicUploadUrl: (body) => {
        seen.push(['createPublicUploadUrl', body]);
        return memory.store.createPublicUploadUrl(body);
      },
      createDownloadUrl: (key) => {
        seen.push(['createDownloadUrl', key]);
        return memory.store.createDownloadUrl(key);
      },
      createPublicDownloadUrl: (key) => {
        seen.push(['createPublicDownloadUrl', key]);
        return memory.store.createPublicDownloadUrl(key);
      },
    };
    const body = bodyFor('k', new Uint8Array(3), {
      ttlSeconds: 60,
      overwrite: true,
      contentType: 'image/png',
    });
    const { contentType: _, ...expected } = body;
    for (const publicUrls of [false, true]) {
      const resolver = registerObjectStoreResolvers(new FakeResolver(), { store, publicUrls });
      const backend = createForgeBackend({ invoke: bridgeTo(resolver).invoke });
      await backend.createUploadUrl({ ...body, extra: 'dropped' } as UploadUrlBody);
      await backend.createDownloadUrl('k');
    }
    // Forge documents the non-public variants for Custom UI (the bridge's own upload uses them).
    expect(seen).toEqual([
      ['createUploadUrl', expected],
      ['createDownloadUrl', 'k'],
      ['createPublicUploadUrl', expected],
      ['createPublicDownloadUrl', 'k'],
    ]);
  });
});

describe('createForgeBackend on its own', () => {
  it('wraps a failing bridge in a retryable BACKEND error that keeps the cause', async () => {
    const cause = new Error('Resolver has no definition for objectdrop.get.');
    const backend = createForgeBackend({ invoke: () => Promise.reject(cause) });
    const error = await rejection(backend.get('k'));
    expect([error.code, error.retryable, error.cause]).toEqual(['BACKEND', true, cause]);
  });

  it('stops waiting with ABORTED when the signal fires', async () => {
    const backend = createForgeBackend({ invoke: () => new Promise(() => {}) });
    const controller = new AbortController();
    const pending = backend.get('k', { signal: controller.signal });
    controller.abort();
    expect((await rejection(pending)).code).toBe('ABORTED');
    expect((await rejection(backend.get('k', { signal: controller.signal }))).code).toBe('ABORTED');
  });

  it('uses the function keys it is given, and accepts bare answers of hand-written resolvers', async () => {
    const calls: string[] = [];
    const backend = createForgeBackend({
      functionKeys: { get: 'meta', createUploadUrl: 'sign' },
      invoke: async (functionKey, payload) => {
        calls.push(functionKey);
        if (functionKey === 'meta') return { key: payload?.key, size: 1, checksum: 'AA==' };
        if (functionKey === 'sign') return { url: 'https://store.example/put' };
        return undefined;
      },
    });
    expect(await backend.get('k')).toEqual({ key: 'k', size: 1, checksum: 'AA==' });
    expect(await backend.createUploadUrl(bodyFor('k', new Uint8Array(1)))).toEqual({
      url: 'https://store.example/put',
    });
    expect(await backend.createDownloadUrl('k')).toBeUndefined();
    expect(calls).toEqual(['meta', 'sign', 'objectdrop.createDownloadUrl']);
  });

  it('refuses an answer that should hold a URL but does not', async () => {
    const backend = createForgeBackend({ invoke: async () => ({ result: { nope: true } }) });
    expect((await rejection(backend.createDownloadUrl('k'))).code).toBe('BACKEND');
    const empty = createForgeBackend({ invoke: async () => ({ result: null }) });
    expect((await rejection(empty.createUploadUrl(bodyFor('k', new Uint8Array(1))))).code).toBe('BACKEND');
  });

  it('rebuilds error data without a status from its code alone', async () => {
    const backend = createForgeBackend({
      invoke: async () => ({ error: { code: 'OBJECT_EXISTS', message: 'exists' } }),
    });
    expect(await rejection(backend.get('k'))).toMatchObject({ code: 'OBJECT_EXISTS', retryable: false });
    const odd = createForgeBackend({ invoke: async () => ({ error: { code: 'WEIRD', message: 'odd' } }) });
    expect(await rejection(odd.get('k'))).toMatchObject({ code: 'BACKEND', message: 'odd', retryable: true });
  });
});
