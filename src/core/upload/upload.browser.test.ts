import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createHttpBackend } from '../../adapters/http-backend';
import { createObjectStore } from '../client';
import type { ObjectStoreError } from '../errors';
import { sleep } from '../retry';
import type { Transport } from '../transport/types';
import { createDefaultTransport } from '../transport/xhr-transport';
import type { ObjectStoreBackend } from '../types';

// Real Chromium, the real local object store (started by the browser project's globalSetup),
// its faults set at runtime through the admin endpoint.
const sharedUrl = inject('objectStoreUrl');
if (!sharedUrl) throw new Error('No objectStoreUrl: the browser project needs the local store globalSetup.');

/** Each test gets an isolated store, so its faults cannot reach test files running beside it. */
let baseUrl = '';

beforeEach(async () => {
  const response = await fetch(`${sharedUrl}/_admin/sandbox`, { method: 'POST' });
  if (!response.ok) throw new Error(`sandbox: ${response.status} ${await response.text()}`);
  baseUrl = ((await response.json()) as { url: string }).url;
});

async function admin(path: 'faults' | 'reset', body: unknown = {}): Promise<void> {
  const response = await fetch(`${baseUrl}/_admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
}

afterEach(() => admin('reset'));

function randomBlob(size: number): Blob {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return new Blob([bytes]);
}

async function sha256(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return btoa(String.fromCharCode(...digest));
}

interface Sent {
  kind: 'PUT' | 'api';
  startedAt: number;
  endedAt?: number;
  outcome?: string;
}

/** The real transport and backend, with every request they send written down. */
function recorded(options: { holdFirstPutMs?: number } = {}) {
  const log: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let held = false;
  const inner = createDefaultTransport();
  const transport: Transport = {
    async send(request) {
      if (request.method === 'PUT' && options.holdFirstPutMs && !held) {
        held = true;
        await sleep(options.holdFirstPutMs);
      }
      const entry: Sent = { kind: 'PUT', startedAt: Date.now() };
      log.push(entry);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const response = await inner.send(request);
        entry.outcome = String(response.status);
        return response;
      } catch (error) {
        entry.outcome = (error as ObjectStoreError).code;
        throw error;
      } finally {
        entry.endedAt = Date.now();
        inFlight -= 1;
      }
    },
  };
  const http = createHttpBackend({ baseUrl });
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const entry: Sent = { kind: 'api', startedAt: Date.now() };
      log.push(entry);
      try {
        const result = await call(...args);
        entry.outcome = 'ok';
        return result;
      } catch (error) {
        entry.outcome = (error as ObjectStoreError).code;
        throw error;
      } finally {
        entry.endedAt = Date.now();
      }
    };
  const backend: ObjectStoreBackend = {
    createUploadUrl: wrap(http.createUploadUrl),
    createDownloadUrl: wrap(http.createDownloadUrl),
    get: wrap(http.get),
    delete: wrap(http.delete),
  };
  return {
    log,
    transport,
    backend,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe('uploads from Chromium to the local object store', () => {
  it('stores 50 files at concurrency 4, each with the right checksum and size', async () => {
    const wire = recorded();
    const client = createObjectStore({
      backend: wire.backend,
      transport: wire.transport,
      concurrency: 4,
    });
    const files = Array.from({ length: 50 }, (_, i) => randomBlob(1 + ((i * 37_813) % 400_000)));
    const tasks = files.map((file) => client.upload(file));
    const objects = await Promise.all(tasks.map((task) => task.done));
    expect(wire.maxInFlight).toBe(4);
    expect(new Set(tasks.map((task) => task.key)).size).toBe(50);
    for (const [i, file] of files.entries()) {
      const stored = await client.get(tasks[i]!.key);
      expect(stored).toMatchObject({ size: file.size, checksum: await sha256(file) });
      expect(objects[i]).toMatchObject({ size: file.size, checksum: stored?.checksum });
    }
  });

  it('rides out a 429 storm, sending nothing before each Retry-After has passed', async () => {
    // Every request (presign and PUT; no confirming `get` since the PUT's answer carries the object)
    // is refused at random: 20 requests at 0.3 leave none refused once in about 1,250 runs.
    await admin('faults', { rateLimitRate: 0.3, retryAfterSeconds: 1 });
    const wire = recorded();
    // A storm lasts: ten 429s in a row per request are allowed before giving up.
    const client = createObjectStore({
      backend: wire.backend,
      transport: wire.transport,
      retry: { maxAttempts: 10 },
    });
    const files = Array.from({ length: 10 }, (_, i) => randomBlob(10_000 + i));
    const tasks = files.map((file) => client.upload(file));
    await Promise.all(tasks.map((task) => task.done));
    const limited = wire.log.filter((sent) => sent.outcome === '429' || sent.outcome === 'TOO_MANY_REQUESTS');
    expect(limited.length).toBeGreaterThan(0);
    for (const hit of limited) {
      const tooSoon = wire.log.filter(
        (sent) => sent.startedAt > hit.endedAt! && sent.startedAt < hit.endedAt! + 1000 - 5,
      );
      expect(tooSoon).toEqual([]);
    }
    await admin('reset');
    for (const [i, file] of files.entries())
      expect((await client.get(tasks[i]!.key))?.checksum).toBe(await sha256(file));
  });

  it('gets fresh URLs for files whose URLs expired while they waited in the queue', async () => {
    await admin('faults', { urlTtlSeconds: 1 });
    // The first PUT is held for 1.5 s: every URL signed before it goes out expires meanwhile.
    const wire = recorded({ holdFirstPutMs: 1500 });
    const client = createObjectStore({
      backend: wire.backend,
      transport: wire.transport,
      concurrency: 1,
    });
    const files = [randomBlob(50_000), randomBlob(60_000), randomBlob(70_000)];
    const tasks = files.map((file) => client.upload(file));
    await Promise.all(tasks.map((task) => task.done));
    const expiredPuts = wire.log.filter((sent) => sent.kind === 'PUT' && sent.outcome === '403');
    expect(expiredPuts.length).toBeGreaterThan(0);
    for (const [i, file] of files.entries())
      expect((await client.get(tasks[i]!.key))?.checksum).toBe(await sha256(file));
  });

  it('retries a PUT whose connection drops midway, and succeeds', async () => {
    // Chromium itself resends a PUT when a reused keep-alive connection resets (once per idle
    // connection it holds), so the store drops several: the rest reach the client's own retry.
    await admin('faults', { dropUploadAfterBytes: 100_000, dropCount: 8 });
    const wire = recorded();
    const client = createObjectStore({
      backend: wire.backend,
      transport: wire.transport,
      retry: { maxAttempts: 10, baseDelayMs: 50 },
    });
    const file = randomBlob(2_000_000);
    const task = client.upload(file);
    const object = await task.done;
    const outcomes = wire.log.filter((sent) => sent.kind === 'PUT').map((sent) => sent.outcome);
    const left = await (await fetch(`${baseUrl}/_admin/faults`)).json();
    expect(left).toEqual({});
    expect(outcomes).toContain('NETWORK');
    expect(outcomes.at(-1)).toBe('200');
    expect(task.getSnapshot().attempts).toBe(outcomes.length);
    expect(object).toMatchObject({ size: file.size, checksum: await sha256(file) });
  });

  it('cancel leaves no request in flight and no object', async () => {
    await admin('faults', { latencyMs: 1500 });
    const wire = recorded();
    const client = createObjectStore({ backend: wire.backend, transport: wire.transport });
    // Larger than loopback socket buffers: while the store sits in its injected latency, the PUT
    // cannot have handed its whole body over, so the cancel really lands mid-upload.
    const task = client.upload(randomBlob(48_000_000));
    await new Promise<void>((resolve) => {
      const stop = task.subscribe(() => {
        if (task.getSnapshot().status !== 'uploading') return;
        stop();
        resolve();
      });
    });
    expect(wire.inFlight).toBe(1);
    task.cancel();
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED' });
    await sleep(0);
    expect(wire.inFlight).toBe(0);
    expect(wire.log.find((sent) => sent.kind === 'PUT')?.outcome).toBe('ABORTED');
    await admin('reset');
    // Past the latency the PUT would have had: the store still has nothing under the key.
    await sleep(2000);
    await expect(client.get(task.key)).resolves.toBeUndefined();
  });
});
