import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ObjectStoreError } from '../errors';
import { storeError } from '../test-support/fake-backend';
import { createHarness, fileOf, recordStatuses, until } from '../test-support/harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

afterEach(() => {
  vi.useRealTimers();
});

describe('an upload', () => {
  it('hashes, presigns, PUTs, confirms, and stores exactly the bytes', async () => {
    const { client, fake, serve, transport } = createHarness();
    serve();
    const task = client.upload(fileOf('hello world', 'a.txt'), { key: 'docs/a.txt', ttlSeconds: 60 });
    const statuses = recordStatuses(task);
    const object = await task.done;

    expect(object).toMatchObject({ key: 'docs/a.txt', size: 11, checksum: sha256('hello world') });
    expect(object.checksumType).toBe('SHA256');
    expect(statuses).toEqual(['queued', 'hashing', 'presigning', 'uploading', 'finalizing', 'done']);
    expect(fake.presigns).toEqual([
      {
        key: 'docs/a.txt',
        length: 11,
        checksum: sha256('hello world'),
        checksumType: 'SHA256',
        ttlSeconds: 60,
        contentType: 'text/plain',
      },
    ]);
    expect(transport.requests[0]?.headers?.['content-type']).toBe('text/plain');
    expect(fake.objects.get('docs/a.txt')?.checksum).toBe(sha256('hello world'));
    expect(task.getSnapshot()).toMatchObject({ status: 'done', loaded: 11, total: 11, object });
  });

  it('says finalizing, not done, while the last byte is out but the store has not answered', async () => {
    const { client, transport } = createHarness();
    const task = client.upload(fileOf('0123456789'), { key: 'k' });
    const put = await transport.next();
    put.progress(4);
    expect(task.getSnapshot()).toMatchObject({ status: 'uploading', loaded: 4 });
    put.progress(10);
    expect(task.getSnapshot()).toMatchObject({ status: 'finalizing', loaded: 10 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(task.getSnapshot().status).toBe('finalizing');
    put.respond(200);
    // Answered, but `get` has not confirmed: the store has no such object, so it must fail.
    await expect(task.done).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fails with CHECKSUM_MISMATCH when the stored object is not what was sent', async () => {
    const { client, fake, serve } = createHarness();
    serve((request) => {
      fake.objects.set('k', { key: 'k', checksum: sha256('other'), size: 3 });
      request.respond(200);
      return true;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await expect(task.done).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', retryable: false });
    expect(task.getSnapshot().status).toBe('failed');
  });

  it("confirms from the PUT's answer when it is the stored object's reference: no `get`", async () => {
    const { client, fake, serve } = createHarness();
    serve((request) => {
      const stored = { key: 'k', checksum: sha256('abc'), size: 3, currentVersion: 'v7' };
      request.respond(200, JSON.stringify(stored), { 'content-type': 'application/json' });
      return true;
    });
    const object = await client.upload(fileOf('abc'), { key: 'k' }).done;
    expect(object).toMatchObject({ key: 'k', size: 3, currentVersion: 'v7', checksumType: 'SHA256' });
    expect(fake.calls.filter((call) => call.method === 'get')).toEqual([]);
  });

  it("fails with CHECKSUM_MISMATCH when the PUT's answer describes other bytes", async () => {
    const { client, fake, serve } = createHarness();
    serve((request) => {
      const stored = { key: 'k', checksum: sha256('abd'), size: 3 };
      request.respond(200, JSON.stringify(stored), { 'content-type': 'application/json' });
      return true;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await expect(task.done).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', retryable: false });
    expect(fake.calls.filter((call) => call.method === 'get')).toEqual([]);
  });

  it('confirms by `get` when the PUT answers with something else than this object', async () => {
    for (const [body, type] of [
      ['', 'application/json'],
      ['{"key":"other","checksum":"x","size":3}', 'application/json'],
      ['<ok/>', 'application/xml'],
      ['{not json', 'application/json'],
    ] as const) {
      const { client, fake, serve, stop } = createHarness();
      serve((request) => {
        if (request.method !== 'PUT') return false;
        fake.objects.set('k', { key: 'k', checksum: sha256('abc'), size: 3 });
        request.respond(200, body, { 'content-type': type });
        return true;
      });
      await expect(client.upload(fileOf('abc'), { key: 'k' }).done).resolves.toMatchObject({ key: 'k' });
      expect(fake.calls.filter((call) => call.method === 'get')).toEqual([{ method: 'get', key: 'k' }]);
      stop();
    }
  });

  it('makes a new immutable snapshot on every change and leaves old ones untouched', async () => {
    const { client, serve } = createHarness();
    serve();
    const task = client.upload(fileOf('abc'), { key: 'k' });
    const first = task.getSnapshot();
    expect(task.getSnapshot()).toBe(first);
    const seen = new Set([first]);
    task.subscribe(() => seen.add(task.getSnapshot()));
    await task.done;
    expect(first.status).toBe('queued');
    expect(seen.size).toBeGreaterThan(4);
    expect(task.getSnapshot()).not.toBe(first);
  });

  it('uploads an empty file', async () => {
    const { client, serve } = createHarness();
    serve();
    const object = await client.upload(new Blob([]), { key: 'empty' }).done;
    expect(object).toMatchObject({ size: 0, checksum: sha256('') });
  });
});

describe('the queue', () => {
  it('keeps at most `concurrency` PUTs in flight and stores every file', async () => {
    const { client, fake, serve, transport } = createHarness({ concurrency: 3 });
    serve();
    const tasks = Array.from({ length: 12 }, (_, i) => client.upload(fileOf(`file ${i}`), { key: `f${i}` }));
    await Promise.all(tasks.map((task) => task.done));
    expect(transport.maxInFlight).toBe(3);
    for (let i = 0; i < 12; i += 1) expect(fake.objects.get(`f${i}`)?.checksum).toBe(sha256(`file ${i}`));
  });

  it('hashes and presigns the next file while the previous one is being sent', async () => {
    const { client, transport, fake } = createHarness({ concurrency: 1 });
    const first = client.upload(fileOf('first'), { key: 'a' });
    const second = client.upload(fileOf('second'), { key: 'b' });
    const put = await transport.next();
    const ready = await until(second, (s) => s.checksum !== undefined && fake.presigns.length === 2);
    expect(ready.status).toBe('queued');
    expect(first.getSnapshot().status).toBe('uploading');
    expect(transport.inFlight).toBe(1);
    await fake.serve(put);
    await fake.serve(await transport.next());
    await Promise.all([first.done, second.done]);
  });

  it('gives identical files their own keys by default', async () => {
    const { client, fake, serve } = createHarness();
    serve();
    const a = client.upload(fileOf('same', 'photo.jpg'));
    const b = client.upload(fileOf('same', 'photo.jpg'));
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^[0-9a-f-]{36}\/photo\.jpg$/);
    await Promise.all([a.done, b.done]);
    expect(fake.objects.size).toBe(2);
  });

  it('uses keyFor when given', async () => {
    const { client, serve } = createHarness({ keyFor: (file) => `user-7/${(file as File).name}` });
    serve();
    const task = client.upload(fileOf('x', 'n.txt'));
    expect(task.key).toBe('user-7/n.txt');
    await task.done;
  });

  it('lists tasks with a snapshot array that only changes on change', async () => {
    const { client, serve } = createHarness();
    const empty = client.getSnapshot();
    expect(client.getSnapshot()).toBe(empty);
    const notified = vi.fn();
    client.subscribe(notified);
    serve();
    const task = client.upload(fileOf('abc'), { key: 'k' });
    const listed = client.getSnapshot();
    expect(listed).not.toBe(empty);
    expect(listed[0]?.id).toBe(task.id);
    expect(client.uploads).toEqual([task]);
    await task.done;
    const finished = client.getSnapshot();
    expect(client.getSnapshot()).toBe(finished);
    expect(finished[0]?.status).toBe('done');
    expect(notified).toHaveBeenCalled();
    client.clearFinished();
    expect(client.getSnapshot()).toEqual([]);
    expect(client.uploads).toEqual([]);
  });
});

describe('validation before any request', () => {
  it('fails too large, too long and badly optioned uploads with typed errors, sending nothing', async () => {
    const { client, fake, transport, hasher } = createHarness({ maxObjectSize: 4 });
    const tooLarge = client.upload(fileOf('12345'), { key: 'k' });
    const longKey = client.upload(fileOf('1'), { key: 'k'.repeat(1000) });
    const badTtl = client.upload(fileOf('1'), { key: 'k', ttlSeconds: -1 });
    const badKey = client.upload(fileOf('1'), { key: '' });
    const loneSurrogate = client.upload(fileOf('1'), { key: 'a\ud800' });
    const badType = client.upload(fileOf('1'), { key: 'k', contentType: 'text/plain\r\nx: y' });
    await expect(tooLarge.done).rejects.toMatchObject({ code: 'OBJECT_TOO_LARGE' });
    await expect(longKey.done).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(badTtl.done).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(badKey.done).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(loneSurrogate.done).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(badType.done).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(tooLarge.getSnapshot().status).toBe('failed');
    expect(fake.calls).toEqual([]);
    expect(transport.requests).toEqual([]);
    expect(hasher).not.toHaveBeenCalled();
  });

  it('accepts a key exactly at the 1 kB payload limit and refuses one byte more', async () => {
    const { client, serve } = createHarness();
    serve();
    const bodyWithout = JSON.stringify({
      key: '',
      length: 1,
      checksumType: 'SHA256',
      checksum: 'x'.repeat(44),
    });
    const fits = 'k'.repeat(1024 - new TextEncoder().encode(bodyWithout).length);
    await expect(client.upload(new Blob(['1']), { key: fits }).done).resolves.toMatchObject({ key: fits });
    await expect(client.upload(new Blob(['1']), { key: `${fits}k` }).done).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('fails the task with INVALID_INPUT when keyFor throws or returns no string', async () => {
    const cause = new Error('no user');
    const { client } = createHarness({
      keyFor: (file) => {
        if ((file as File).name === 'a') throw cause;
        return undefined as unknown as string;
      },
    });
    await expect(client.upload(fileOf('1', 'a')).done).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      cause,
    });
    await expect(client.upload(fileOf('1', 'b')).done).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('throws at once for something that is not a Blob, and for bad client options', () => {
    const { client } = createHarness();
    expect(() => client.upload('text' as unknown as Blob)).toThrow(ObjectStoreError);
    expect(() => createHarness({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createHarness({ checksumType: 'MD5' as 'SHA1' })).toThrow(/checksumType/);
  });
});

describe('retries', () => {
  it('retries 5xx answers and lost connections, then succeeds', async () => {
    const { client, fake, serve } = createHarness();
    serve((request, index) => {
      if (index === 0) request.respond(503, 'busy');
      else if (index === 1) request.fail();
      else return false;
      return true;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await task.done;
    expect(task.getSnapshot().attempts).toBe(3);
    expect(fake.objects.has('k')).toBe(true);
  });

  it('gives up after the policy’s attempts with the last error', async () => {
    const { client, serve, transport } = createHarness({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
    serve((request) => {
      request.respond(500, JSON.stringify({ code: 'BACKEND', message: 'down' }));
      return true;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await expect(task.done).rejects.toMatchObject({ code: 'BACKEND', status: 500 });
    expect(transport.requests).toHaveLength(3);
  });

  it('fails at once on CHECKSUM_MISMATCH and OBJECT_EXISTS', async () => {
    const { client, serve, transport } = createHarness();
    serve((request) => {
      if (request.url.endsWith('/1'))
        request.respond(400, JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'no' }));
      else request.respond(409, JSON.stringify({ code: 'OBJECT_EXISTS', message: 'no' }));
      return true;
    });
    const a = client.upload(fileOf('a'), { key: 'a' });
    await expect(a.done).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    const b = client.upload(fileOf('b'), { key: 'b', overwrite: false });
    await expect(b.done).rejects.toMatchObject({ code: 'OBJECT_EXISTS', status: 409 });
    expect(transport.requests).toHaveLength(2);
  });

  it('retries a failing presign and fails on a 4xx from it without a PUT', async () => {
    const { client, fake, serve, transport } = createHarness();
    serve();
    fake.failNext('createUploadUrl', new TypeError('fetch failed'));
    await client.upload(fileOf('a'), { key: 'a' }).done;
    fake.failNext('createUploadUrl', storeError('INVALID_REQUEST', 400));
    await expect(client.upload(fileOf('b'), { key: 'b' }).done).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(transport.requests).toHaveLength(1);
  });

  it('gets a fresh URL after URL_EXPIRED without spending an attempt', async () => {
    const { client, fake, serve } = createHarness({ retry: { maxAttempts: 1 } });
    serve((request, index) => {
      if (index === 0) fake.expire(request.url);
      return false;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await task.done;
    expect(fake.presigns).toHaveLength(2);
  });

  it('refreshes a URL that is about to expire before its PUT starts', async () => {
    let clock = 1_000_000;
    const { client, fake, transport } = createHarness({ concurrency: 1, now: () => clock });
    const first = client.upload(fileOf('first'), { key: 'a' });
    const second = client.upload(fileOf('second'), { key: 'b' });
    const put = await transport.next();
    await until(second, (s) => s.checksum !== undefined && fake.presigns.length === 2);
    clock += 3600_000 - 30_000;
    await fake.serve(put);
    await first.done;
    await fake.serve(await transport.next());
    await second.done;
    expect(fake.presigns.map((body) => body.key)).toEqual(['a', 'b', 'b']);
  });

  it('pauses the whole queue on a 429 until Retry-After has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { client, fake, transport } = createHarness({ concurrency: 2 });
    const a = client.upload(fileOf('a'), { key: 'a' });
    const b = client.upload(fileOf('b'), { key: 'b' });
    const putA = await transport.next();
    const putB = await transport.next();
    putA.respond(429, JSON.stringify({ code: 'TOO_MANY_REQUESTS', message: 'slow down' }), {
      'retry-after': '10',
    });
    await vi.advanceTimersByTimeAsync(0);
    await fake.serve(putB);
    const c = client.upload(fileOf('c'), { key: 'c' });
    await vi.advanceTimersByTimeAsync(9_000);
    // Neither the retry of `a`, nor the confirming `get` of `b`, nor anything of `c` has gone out.
    expect(transport.requests).toHaveLength(2);
    expect(fake.calls.filter((call) => call.method === 'get' || call.key === 'c')).toEqual([]);
    expect(b.getSnapshot().status).toBe('finalizing');
    expect(a.getSnapshot().retry?.error.code).toBe('TOO_MANY_REQUESTS');
    await vi.advanceTimersByTimeAsync(1_001);
    await fake.serve(await transport.next());
    await fake.serve(await transport.next());
    await Promise.all([a.done, b.done, c.done]);
    expect(fake.objects.size).toBe(3);
  });
});

describe('controls', () => {
  it('cancel aborts the PUT, leaves nothing in flight and no object, and rejects done with ABORTED', async () => {
    const { client, fake, transport } = createHarness();
    const task = client.upload(fileOf('abcdef'), { key: 'k' });
    const put = await transport.next();
    put.progress(3);
    task.cancel();
    expect(put.aborted).toBe(true);
    expect(transport.inFlight).toBe(0);
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED' });
    put.progress(6);
    expect(task.getSnapshot()).toMatchObject({ status: 'canceled', loaded: 3 });
    expect(fake.objects.size).toBe(0);
  });

  it('cancel while hashing aborts the hash; a user signal cancels too', async () => {
    const { client, hasher } = createHarness();
    let hashSignal: AbortSignal | undefined;
    hasher.mockImplementationOnce((_blob, _type, options) => {
      hashSignal = options?.signal;
      return new Promise(() => {});
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    await until(task, (s) => s.status === 'hashing');
    task.cancel();
    expect(hashSignal?.aborted).toBe(true);
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED' });

    const controller = new AbortController();
    const second = client.upload(fileOf('abc'), { key: 'k2', signal: controller.signal });
    controller.abort();
    await expect(second.done).rejects.toMatchObject({ code: 'ABORTED' });
    expect(second.getSnapshot().status).toBe('canceled');
  });

  it('pause aborts the PUT; resume sends it again without hashing again', async () => {
    const { client, fake, transport, hasher } = createHarness();
    const task = client.upload(fileOf('abcdef'), { key: 'k' });
    const put = await transport.next();
    put.progress(3);
    task.pause();
    expect(put.aborted).toBe(true);
    expect(task.getSnapshot()).toMatchObject({ status: 'paused', loaded: 0 });
    task.resume();
    await fake.serve(await transport.next());
    await task.done;
    expect(hasher).toHaveBeenCalledTimes(1);
    expect(task.getSnapshot().status).toBe('done');
  });

  it('retry re-runs a failed task with a new done promise, keeping the checksum', async () => {
    const { client, fake, serve, hasher } = createHarness({ retry: { maxAttempts: 1 } });
    serve((request, index) => {
      if (index === 0) request.respond(500);
      return index === 0;
    });
    const task = client.upload(fileOf('abc'), { key: 'k' });
    const firstDone = task.done;
    await expect(firstDone).rejects.toMatchObject({ code: 'BACKEND' });
    task.retry();
    expect(task.done).not.toBe(firstDone);
    await expect(task.done).resolves.toMatchObject({ key: 'k' });
    expect(hasher).toHaveBeenCalledTimes(1);
    expect(fake.objects.has('k')).toBe(true);
  });

  it('skipIfUnchanged finishes without a PUT when the same bytes are stored, and uploads otherwise', async () => {
    const { client, fake, serve, transport } = createHarness();
    serve();
    fake.objects.set('same', { key: 'same', checksum: sha256('abc'), size: 3 });
    fake.objects.set('changed', { key: 'changed', checksum: sha256('abd'), size: 3 });
    const same = client.upload(fileOf('abc'), { key: 'same', skipIfUnchanged: true });
    await expect(same.done).resolves.toMatchObject({ key: 'same', checksum: sha256('abc') });
    expect(same.getSnapshot()).toMatchObject({ status: 'done', skipped: true });
    expect(transport.requests).toHaveLength(0);
    await client.upload(fileOf('abc'), { key: 'changed', skipIfUnchanged: true }).done;
    expect(transport.requests).toHaveLength(1);
    expect(fake.objects.get('changed')?.checksum).toBe(sha256('abc'));
  });
});

describe('get and delete', () => {
  it('pass through with retries and map foreign errors to BACKEND with a cause', async () => {
    const { client, fake } = createHarness();
    fake.objects.set('k', { key: 'k', checksum: 'c', size: 1 });
    fake.failNext('get', new ObjectStoreError('NETWORK', 'lost'));
    await expect(client.get('k')).resolves.toMatchObject({ key: 'k' });
    await expect(client.get('missing')).resolves.toBeUndefined();
    await client.delete('k');
    expect(fake.objects.has('k')).toBe(false);
    const cause = new Error('resolver exploded');
    const { client: strict, fake: strictFake } = createHarness({ retry: { maxAttempts: 1 } });
    strictFake.failNext('delete', cause);
    await expect(strict.delete('k')).rejects.toMatchObject({ code: 'BACKEND', cause });
  });
});
