import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../core/client';
import { nodeHasher } from '../core/test-support/fake-backend';
import { createFetchTransport } from '../core/transport/fetch-transport';
import { type RunningObjectStore, startLocalObjectStore } from '../server/start';
import { createForgeBackend, type ForgeResolverContext, registerObjectStoreResolvers } from './forge';
import { bridgeTo, FakeResolver } from './test-support/fake-forge';

// A Forge app end to end, minus Forge: the page's client → createForgeBackend → a bridge that
// JSON-serialises both ways → the resolvers → the REAL local object store on 127.0.0.1.

let running: RunningObjectStore;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'objectdrop-forge-'));
  running = await startLocalObjectStore({
    port: 0,
    dir,
    corsOrigins: ['*'],
    limits: { maxObjectSize: 1_000_000 },
  });
});
afterAll(async () => {
  await running.close();
  await rm(dir, { recursive: true, force: true });
});

function forgeApp(context: ForgeResolverContext, withoutBatches = false) {
  const resolver = registerObjectStoreResolvers(new FakeResolver(), {
    store: running.store,
    authorize: (ctx, key) => key.startsWith(`${String(ctx.accountId)}/`),
  });
  // Hand-written resolvers may lack the batch function.
  if (withoutBatches) resolver.functions.delete('objectdrop.createUploadUrls');
  const { invoke, calls } = bridgeTo(resolver, context);
  const backend = createForgeBackend({ invoke });
  const client = createObjectStore({
    backend,
    hasher: nodeHasher,
    transport: createFetchTransport(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  return { backend, client, calls };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

describe('createForgeBackend → resolvers → local object store', () => {
  it('uploads files with the client, then reads, downloads a range and deletes them', async () => {
    const { backend, client } = forgeApp({ accountId: 'alice' });
    const files = Array.from({ length: 5 }, () => new Uint8Array(randomBytes(50_000)));
    const tasks = files.map((bytes, i) =>
      client.upload(new Blob([bytes], { type: 'application/x-test' }), { key: `alice/${i}.bin` }),
    );
    const refs = await Promise.all(tasks.map((task) => task.done));
    expect(refs.map((ref) => ref.checksum)).toEqual(files.map(sha256));

    const ref = await backend.get('alice/2.bin');
    expect(ref).toMatchObject({
      size: 50_000,
      checksum: sha256(files[2]!),
      contentType: 'application/x-test',
    });
    const { url } = (await backend.createDownloadUrl('alice/2.bin'))!;
    const ranged = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(Buffer.from(files[2]!.slice(100, 200)))).toBe(true);

    await backend.delete('alice/2.bin');
    expect(await backend.get('alice/2.bin')).toBeUndefined();
    expect(await backend.createDownloadUrl('alice/2.bin')).toBeUndefined();
    expect(await running.store.get('alice/3.bin')).toMatchObject({ size: 50_000 });
  });

  it('serves CDN objects through createCDNUrl', async () => {
    const { backend, client } = forgeApp({ accountId: 'alice' });
    const bytes = new TextEncoder().encode('logo bytes');
    await client.upload(new Blob([bytes]), { key: 'alice/logo', cdn: true }).done;
    expect(await backend.get('alice/logo')).toBeUndefined();
    const { url } = (await backend.createCDNUrl!('alice/logo', { ttlSeconds: 120 }))!;
    const response = await fetch(url);
    expect(response.headers.get('cache-control')).toBe('public, max-age=120');
    expect(await response.text()).toBe('logo bytes');
  });

  it("carries the store's own refusals back as typed errors", async () => {
    const { client } = forgeApp({ accountId: 'alice' });
    const bytes = new Uint8Array([1, 2, 3]);
    await client.upload(new Blob([bytes]), { key: 'alice/once' }).done;
    const again = client.upload(new Blob([bytes]), { key: 'alice/once', overwrite: false });
    await expect(again.done).rejects.toMatchObject({ code: 'OBJECT_EXISTS', status: 409, retryable: false });
    const big = client.upload(new Blob([new Uint8Array(1_000_001)]), { key: 'alice/big' });
    await expect(big.done).rejects.toMatchObject({ code: 'OBJECT_TOO_LARGE', status: 413 });
  });

  it('refuses, through authorize, what the Forge context does not own, and stores nothing', async () => {
    await forgeApp({ accountId: 'alice' }).client.upload(new Blob([new Uint8Array([1])]), {
      key: 'alice/own',
    }).done;
    const { client, backend } = forgeApp({ accountId: 'mallory' });
    const task = client.upload(new Blob([new Uint8Array([7])]), { key: 'alice/stolen' });
    await expect(task.done).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(backend.get('alice/own')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await running.store.get('alice/stolen')).toBeUndefined();
    await expect(backend.delete('alice/own')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await running.store.get('alice/own')).toBeDefined();
  });

  it('asks for upload URLs several per invocation, authorizing each key', async () => {
    const { client, calls } = forgeApp({ accountId: 'alice' });
    const keys = ['alice/b0', 'alice/b1', 'bob/b2', 'alice/b3', 'alice/b4', 'alice/b5'];
    const outcomes = await Promise.allSettled(
      keys.map((key) => client.upload(new Blob([key]), { key }).done),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(outcomes[2]).toMatchObject({ reason: { code: 'FORBIDDEN' } });
    expect(await running.store.get('bob/b2')).toBeUndefined();
    const batchCalls = calls.filter((call) => call.functionKey === 'objectdrop.createUploadUrls');
    expect(batchCalls.length).toBeGreaterThan(0);
    // bob/b2's batch was refused as a whole: its files asked again one by one, the others did not.
    expect(calls.filter((call) => call.functionKey === 'objectdrop.createUploadUrl').length).toBeLessThan(
      keys.length,
    );
  });

  it('presigns one by one with resolvers that have no batch function', async () => {
    const { client, calls } = forgeApp({ accountId: 'alice' }, true);
    const keys = ['alice/s0', 'alice/s1', 'alice/s2', 'alice/s3'];
    const refs = await Promise.all(keys.map((key) => client.upload(new Blob([key]), { key }).done));
    expect(refs.map((ref) => ref.key)).toEqual(keys);
    expect(calls.filter((call) => call.functionKey === 'objectdrop.createUploadUrls')).toHaveLength(1);
    expect(calls.filter((call) => call.functionKey === 'objectdrop.createUploadUrl')).toHaveLength(
      keys.length,
    );
  });
});
