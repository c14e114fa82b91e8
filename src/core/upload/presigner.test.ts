import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createObjectStore } from '../client';
import { ObjectStoreError } from '../errors';
import { createFakeBackend, nodeHasher, storeError } from '../test-support/fake-backend';
import { fileOf } from '../test-support/harness';
import { createScriptedTransport, type ScriptedRequest } from '../test-support/scripted-transport';
import type { ObjectStoreBackend, UploadUrlBody } from '../types';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

/** The fake store, with a `createUploadUrls` that records its batches and can be made to fail. */
function batchingHarness(concurrency = 2) {
  const fake = createFakeBackend();
  const batches: string[][] = [];
  const batchFailures: unknown[] = [];
  const singleFailures: unknown[] = [];
  const singleCalls: string[] = [];
  const createUploadUrls = vi.fn(async (bodies: UploadUrlBody[]) => {
    const failure = batchFailures.shift();
    if (failure !== undefined) throw failure;
    batches.push(bodies.map((body) => body.key));
    return Promise.all(bodies.map((body) => fake.backend.createUploadUrl(body)));
  });
  const backend: ObjectStoreBackend = {
    ...fake.backend,
    createUploadUrls,
    async createUploadUrl(body) {
      singleCalls.push(body.key);
      const failure = singleFailures.shift();
      if (failure !== undefined) throw failure;
      return fake.backend.createUploadUrl(body);
    },
  };
  const transport = createScriptedTransport();
  const client = createObjectStore({
    backend,
    transport,
    hasher: nodeHasher,
    concurrency,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  return { fake, batches, batchFailures, singleFailures, singleCalls, createUploadUrls, transport, client };
}

/** Answers PUTs as the store would, `hold` of them only once `release` is called. */
function servePuts(
  transport: ReturnType<typeof createScriptedTransport>,
  fake: ReturnType<typeof createFakeBackend>,
  script?: (request: ScriptedRequest) => boolean,
) {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const request = await transport.next();
      if (!script?.(request)) await fake.serve(request);
    }
  })();
  return () => {
    stopped = true;
  };
}

const files = (count: number) => Array.from({ length: count }, (_, i) => fileOf(`file number ${i}`));

describe('upload URLs in batches', () => {
  it('asks for the URLs of files waiting for a transfer slot in one call, each file once', async () => {
    const { client, fake, batches, transport, singleCalls } = batchingHarness(2);
    // The first two PUTs are held until every other file is hashed and waiting.
    const held: ScriptedRequest[] = [];
    const stop = servePuts(transport, fake, (request) => {
      if (held.length >= 2) return false;
      held.push(request);
      return true;
    });
    // 8: the look-ahead of 2 transfer slots, so every file gets hashed while the PUTs are held.
    const tasks = files(8).map((file, i) => client.upload(file, { key: `k${i}` }));
    await vi.waitFor(() => expect(held).toHaveLength(2));
    await vi.waitFor(() =>
      expect(tasks.slice(2).every((task) => task.getSnapshot().checksum !== undefined)).toBe(true),
    );
    for (const request of held) await fake.serve(request);
    const objects = await Promise.all(tasks.map((task) => task.done));
    stop();

    expect(objects.map((object) => object.checksum)).toEqual(
      files(8).map((_, i) => sha256(`file number ${i}`)),
    );
    expect(batches.flat().sort()).toEqual(tasks.map((task) => task.key).sort());
    expect(singleCalls).toEqual([]);
    expect(batches.length).toBeLessThan(8);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeGreaterThan(1);
  });

  it('presigns file by file for good once the backend has no batch route', async () => {
    const { client, fake, batchFailures, createUploadUrls, transport, singleCalls } = batchingHarness(2);
    batchFailures.push(storeError('NOT_FOUND', 404), storeError('NOT_FOUND', 404));
    const stop = servePuts(transport, fake);
    const tasks = files(6).map((file, i) => client.upload(file, { key: `k${i}` }));
    await Promise.all(tasks.map((task) => task.done));
    stop();
    // At most the batches already asked for before the first answer came.
    expect(createUploadUrls.mock.calls.length).toBeLessThanOrEqual(2);
    expect(singleCalls.sort()).toEqual(tasks.map((task) => task.key).sort());
  });

  it('presigns a file alone, with retries, when its batch fails for a passing reason, and keeps batching', async () => {
    const { client, fake, batchFailures, singleFailures, singleCalls, batches, transport } =
      batchingHarness(1);
    batchFailures.push(new ObjectStoreError('BACKEND', 'busy', { status: 503 }));
    singleFailures.push(new ObjectStoreError('BACKEND', 'busy', { status: 503 }));
    const stop = servePuts(transport, fake);
    const tasks = files(4).map((file, i) => client.upload(file, { key: `k${i}` }));
    await Promise.all(tasks.map((task) => task.done));
    stop();
    // k0's batch failed: k0 presigned alone (its first try failed too, then the retry worked).
    expect(singleCalls).toEqual(['k0', 'k0']);
    expect(batches.flat().sort()).toEqual(['k1', 'k2', 'k3']);
    for (const task of tasks) expect(task.getSnapshot().status).toBe('done');
  });

  it('fails only the file whose body the store refuses, and keeps it out of later batches', async () => {
    const { client, fake, batchFailures, batches, singleFailures, singleCalls, transport } =
      batchingHarness(1);
    // k1's body is refused in its batch and again when it asks alone; the others go on in batches.
    const stop = servePuts(transport, fake);
    await client.upload(fileOf('first'), { key: 'k0' }).done;
    batchFailures.push(storeError('OBJECT_EXISTS', 409));
    singleFailures.push(storeError('OBJECT_EXISTS', 409));
    const tasks = files(6).map((file, i) => client.upload(file, { key: `k${i + 1}` }));
    const outcomes = await Promise.allSettled(tasks.map((task) => task.done));
    stop();
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'OBJECT_EXISTS' } });
    const failedBatch = singleCalls.filter((key) => key !== 'k1');
    expect(outcomes.slice(1).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(batches.flat()).not.toContain('k1');
    // Files after the failed batch were presigned in batches again.
    expect(batches.flat().filter((key) => !failedBatch.includes(key)).length).toBeGreaterThan(1);
  });

  it('gets a fresh URL after URL_EXPIRED', async () => {
    const { client, fake, transport } = batchingHarness(1);
    let expired = false;
    const stop = servePuts(transport, fake, (request) => {
      if (expired) return false;
      expired = true;
      fake.expire(request.url);
      return false;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await expect(task.done).resolves.toMatchObject({ checksum: sha256('abc') });
    stop();
    expect(new Set(transport.requests.map((request) => request.url)).size).toBe(2);
    expect(fake.presigns.map((body) => body.key)).toEqual(['k', 'k']);
  });

  it('pauses every request on a 429 of a batch, then goes on', async () => {
    const { client, fake, batchFailures, transport } = batchingHarness(2);
    batchFailures.push(
      new ObjectStoreError('TOO_MANY_REQUESTS', 'slow down', { status: 429, retryAfterSeconds: 0.05 }),
    );
    const stop = servePuts(transport, fake);
    const tasks = files(3).map((file, i) => client.upload(file, { key: `k${i}` }));
    await Promise.all(tasks.map((task) => task.done));
    stop();
    expect(client.context.gate.pausedUntil).toBeGreaterThan(0);
  });

  it('leaves a canceled file out of later batches, and the others finish', async () => {
    const { client, fake, batches, transport } = batchingHarness(1);
    const held: ScriptedRequest[] = [];
    const stop = servePuts(transport, fake, (request) => {
      if (held.length >= 1) return false;
      held.push(request);
      return true;
    });
    const tasks = files(4).map((file, i) => client.upload(file, { key: `k${i}` }));
    await vi.waitFor(() => expect(held).toHaveLength(1));
    await vi.waitFor(() => expect(tasks[3]!.getSnapshot().checksum).toBeDefined());
    const asked = batches.flat().length;
    tasks[2]!.cancel();
    await fake.serve(held[0]!);
    await Promise.all([tasks[0]!.done, tasks[1]!.done, tasks[3]!.done]);
    await expect(tasks[2]!.done).rejects.toMatchObject({ code: 'ABORTED' });
    stop();
    expect(batches.flat().slice(asked)).not.toContain('k2');
    expect(transport.requests.filter((request) => request.body === tasks[2]!.file)).toEqual([]);
    expect(fake.objects.has('k2')).toBe(false);
  });
});
