import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../core/client';
import { nodeHasher } from '../core/test-support/fake-backend';
import { createMemoryBackend } from './memory-backend';

// The upload engine of objectdrop over the in-memory backend: what stories and users' tests do.
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

describe('createObjectStore over createMemoryBackend', () => {
  it('uploads through the backend transport and stores the exact bytes', async () => {
    const backend = createMemoryBackend();
    const client = createObjectStore({ backend, hasher: nodeHasher, retry: fastRetry });
    const files = Array.from({ length: 6 }, (_, i) => new Uint8Array(randomBytes(10_000 + i)));
    const tasks = files.map((bytes, i) => client.upload(new Blob([bytes]), { key: `f/${i}` }));
    const refs = await Promise.all(tasks.map((task) => task.done));
    expect(refs.map((ref) => ref.checksum)).toEqual(files.map(sha256));
    const stored = backend.objects();
    expect(stored).toHaveLength(6);
    for (const [i, bytes] of files.entries()) {
      const object = stored.find((o) => o.key === `f/${i}`)!;
      expect(Buffer.from(await object.data.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('presigns files waiting for a slot in batches', async () => {
    const backend = createMemoryBackend();
    const batches: number[] = [];
    const counted = {
      ...backend,
      createUploadUrls: (bodies: Parameters<typeof backend.createUploadUrls>[0]) => {
        batches.push(bodies.length);
        return backend.createUploadUrls(bodies);
      },
    };
    const client = createObjectStore({
      backend: counted,
      hasher: nodeHasher,
      retry: fastRetry,
      concurrency: 2,
    });
    const files = Array.from({ length: 12 }, (_, i) => new Uint8Array(randomBytes(1000 + i)));
    const refs = await Promise.all(
      files.map((bytes, i) => client.upload(new Blob([bytes]), { key: `b/${i}` }).done),
    );
    expect(refs.map((ref) => ref.checksum)).toEqual(files.map(sha256));
    expect(batches.some((size) => size > 1)).toBe(true);
    expect(backend.objects()).toHaveLength(12);
  });

  it('retries a PUT dropped mid-way until it gets through', async () => {
    const backend = createMemoryBackend({ faults: { dropUploadAfterBytes: 5000, dropCount: 2 } });
    let puts = 0;
    const client = createObjectStore({
      backend,
      hasher: nodeHasher,
      retry: fastRetry,
      transport: {
        send: (request) => {
          if (request.method === 'PUT') puts++;
          return backend.transport.send(request);
        },
      },
    });
    const bytes = new Uint8Array(randomBytes(20_000));
    expect((await client.upload(new Blob([bytes]), { key: 'dropped' }).done).checksum).toBe(sha256(bytes));
    expect(puts).toBe(3);
  });

  it('recovers from injected 429s and 503s', async () => {
    let draws = 0;
    // Per request: 429 (0.1), then 503 (0.9, 0.1), then through (0.9, 0.9), over and over.
    const dice = [0.1, 0.9, 0.1, 0.9, 0.9];
    const backend = createMemoryBackend({
      faults: { rateLimitRate: 0.5, errorRate: 0.5, retryAfterSeconds: 0.01 },
      random: () => dice[draws++ % dice.length]!,
    });
    const client = createObjectStore({
      backend,
      hasher: nodeHasher,
      retry: { ...fastRetry, maxAttempts: 20 },
    });
    const bytes = new Uint8Array(randomBytes(20_000));
    const ref = await client.upload(new Blob([bytes]), { key: 'flaky' }).done;
    expect(ref.checksum).toBe(sha256(bytes));
    expect(draws).toBeGreaterThanOrEqual(15);
  });

  it('fails with CHECKSUM_MISMATCH while corruptUpload is set, and stores nothing', async () => {
    const backend = createMemoryBackend({ faults: { corruptUpload: true } });
    const client = createObjectStore({ backend, hasher: nodeHasher, retry: fastRetry });
    const task = client.upload(new Blob([new Uint8Array([1, 2, 3])]), { key: 'bad' });
    await expect(task.done).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(task.getSnapshot().status).toBe('failed');
    expect(backend.objects()).toEqual([]);
  });
});
