// @vitest-environment jsdom
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createObjectStore } from '../core/client';
import { ObjectStoreError } from '../core/errors';
import { nodeHasher } from '../core/test-support/fake-backend';
import { createMemoryBackend } from '../testing/memory-backend';
import type { DownloadTask, ObjectStoreClient } from './engine-types';
import { ObjectStoreProvider } from './provider';
import { metadataKeys } from './query-keys';
import { createMemoryClient, createTestClient, store } from './test/test-client';
import { useDownload } from './use-download';
import { useDeleteObject, useObjectMetadata } from './use-object-metadata';
import { type DownloadObjectResult, useObjectStore } from './use-object-store';
import { useUpload } from './use-upload';

afterEach(cleanup);

const newQueryClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

function wrapperFor(client: ObjectStoreClient, queryClient = newQueryClient()) {
  return ({ children }: { children: ReactNode }) => (
    <ObjectStoreProvider client={client} queryClient={queryClient}>
      {children}
    </ObjectStoreProvider>
  );
}

function setup() {
  const harness = createTestClient();
  const queryClient = newQueryClient();
  return { ...harness, queryClient, wrapper: wrapperFor(harness.client, queryClient) };
}

const file = (name: string, size = 10, type = 'text/plain') =>
  new File([new Uint8Array(size)], name, { type });
const reference = (key: string, size = 1) => ({ key, checksum: 'c', size });

describe('<ObjectStoreProvider>', () => {
  it('uses the QueryClient of a QueryClientProvider above it', () => {
    const outer = new QueryClient();
    const { client } = createTestClient();
    const { result } = renderHook(() => useQueryClient(), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={outer}>
          <ObjectStoreProvider client={client}>{children}</ObjectStoreProvider>
        </QueryClientProvider>
      ),
    });
    expect(result.current).toBe(outer);
  });

  it('creates its own QueryClient when there is none', () => {
    const { client } = createTestClient();
    const { result } = renderHook(() => useQueryClient(), {
      wrapper: ({ children }) => <ObjectStoreProvider client={client}>{children}</ObjectStoreProvider>,
    });
    expect(result.current).toBeInstanceOf(QueryClient);
  });

  it('creates the client from `backend` and `options`', async () => {
    const { fake, transport } = createTestClient();
    const { result } = renderHook(() => useUpload(), {
      wrapper: ({ children }) => (
        <ObjectStoreProvider
          backend={fake.backend}
          options={{ transport, checksumType: 'SHA1', hasher: async () => 'h' }}
        >
          {children}
        </ObjectStoreProvider>
      ),
    });
    act(() => {
      result.current.upload(file('a.txt'), { key: 'a' });
    });
    await waitFor(() =>
      expect(fake.presigns).toMatchObject([{ key: 'a', checksumType: 'SHA1', checksum: 'h' }]),
    );
  });

  it('stops watching uploads once they are cleared from the client', async () => {
    const { client, serve } = createTestClient();
    serve();
    const task = client.upload(file('a.txt'), { key: 'a' });
    const stop = vi.fn();
    const subscribe = task.subscribe.bind(task);
    vi.spyOn(task, 'subscribe').mockImplementation((listener) => {
      const unsubscribe = subscribe(listener);
      return () => {
        stop();
        unsubscribe();
      };
    });
    // Nothing but the provider watches the task.
    renderHook(() => null, { wrapper: wrapperFor(client) });
    await act(() => task.done);
    expect(stop).not.toHaveBeenCalled();
    act(() => client.clearFinished());
    expect(stop).toHaveBeenCalled();
  });

  it('refuses hooks used outside a provider with a clear error', () => {
    expect(() => renderHook(() => useUpload())).toThrow(/ObjectStoreProvider/);
  });
});

describe('useUpload', () => {
  it('mirrors the real engine: statuses, progress, speed, and the stored object', async () => {
    const { transport, fake, wrapper } = setup();
    const { result } = renderHook(() => useUpload({ ttlSeconds: 60 }), { wrapper });
    act(() => {
      result.current.upload([file('a.txt', 100), file('b.txt', 300)], (_, index) => ({ key: `k${index}` }));
    });
    expect(
      result.current.items.map((item) => [item.key, item.name, item.type, item.size, item.status]),
    ).toEqual([
      ['k0', 'a.txt', 'text/plain', 100, 'queued'],
      ['k1', 'b.txt', 'text/plain', 300, 'queued'],
    ]);
    expect(result.current.isUploading).toBe(true);

    const put = await transport.next();
    expect(put.body?.size).toBe(100);
    await waitFor(() => expect(result.current.items[0]?.status).toBe('uploading'));
    act(() => put.progress(50));
    expect(result.current.items[0]).toMatchObject({ status: 'uploading', loaded: 50, progress: 0.5 });
    expect(result.current.progress).toBeCloseTo(50 / 400);
    expect(fake.presigns.map((body) => body.ttlSeconds)).toEqual([60, 60]);

    await act(() => fake.serve(put));
    await act(async () => {
      await fake.serve(await transport.next());
    });
    await waitFor(() => expect(result.current.items.map((item) => item.status)).toEqual(['done', 'done']));
    expect(result.current.items[0]?.object).toMatchObject({ key: 'k0', size: 100 });
    expect(result.current.progress).toBe(1);
    expect(result.current.isUploading).toBe(false);
  });

  it('pauses, resumes, fails, retries and cancels through the task', async () => {
    const { transport, fake, wrapper } = setup();
    const { result } = renderHook(() => useUpload(), { wrapper });
    act(() => {
      result.current.upload(file('a.txt'), { key: 'a' });
    });
    const id = result.current.items[0]!.id;
    const first = await transport.next();
    act(() => result.current.pause(id));
    expect(result.current.items[0]?.status).toBe('paused');
    expect(first.aborted).toBe(true);
    act(() => result.current.resume(id));
    const second = await transport.next();
    act(() => second.respond(400, JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'mismatch' })));
    await waitFor(() =>
      expect(result.current.items[0]).toMatchObject({
        status: 'failed',
        error: { code: 'CHECKSUM_MISMATCH' },
      }),
    );
    act(() => result.current.retry(id));
    const third = await transport.next();
    act(() => result.current.cancel(id));
    expect(third.aborted).toBe(true);
    expect(result.current.items[0]?.status).toBe('canceled');
    expect(fake.objects.size).toBe(0);
  });

  it('removes items (canceling running ones) and clears finished ones, for every list of the provider', async () => {
    const { client, serve, wrapper } = setup();
    const { result } = renderHook(() => ({ a: useUpload(), b: useUpload() }), { wrapper });
    act(() => {
      result.current.a.upload([file('1'), file('2')]);
    });
    const [first, second] = client.uploads;
    act(() => result.current.a.remove(first!.id));
    expect(first!.getSnapshot().status).toBe('canceled');
    expect(result.current.b.items.map((item) => item.name)).toEqual(['2']);
    serve();
    await act(() => second!.done);
    act(() => {
      result.current.a.upload(file('3'));
    });
    act(() => result.current.b.clear());
    expect(result.current.a.items.map((item) => item.name)).toEqual(['3']);
    expect(client.uploads.map((task) => task.getSnapshot().name)).toEqual(['3']);
  });

  it('lists only its own uploads when asked', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => ({ mine: useUpload({ own: true }), all: useUpload() }), { wrapper });
    act(() => {
      client.upload(file('elsewhere'));
      result.current.mine.upload(file('mine'));
    });
    expect(result.current.mine.items.map((item) => item.name)).toEqual(['mine']);
    expect(result.current.all.items.map((item) => item.name)).toEqual(['elsewhere', 'mine']);
  });

  it('lists a file that fails validation with its reason, without a request', () => {
    const { transport, wrapper } = setup();
    const { result } = renderHook(() => useUpload(), { wrapper });
    act(() => {
      result.current.upload(file('a.txt'), { key: 'a', ttlSeconds: -1 });
    });
    expect(result.current.items[0]).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT' } });
    expect(transport.requests).toHaveLength(0);
  });
});

describe('metadata', () => {
  it('fetches metadata through React Query, null when the object does not exist', async () => {
    const { fake, wrapper } = setup();
    fake.objects.set('x', reference('x'));
    const { result } = renderHook(() => ({ x: useObjectMetadata('x'), y: useObjectMetadata('y') }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.x.data).toEqual(reference('x')));
    await waitFor(() => expect(result.current.y.data).toBeNull());
  });

  it('does not query while the key is undefined', () => {
    const { fake, wrapper } = setup();
    const { result } = renderHook(() => useObjectMetadata(undefined), { wrapper });
    expect(result.current.fetchStatus).toBe('idle');
    expect(fake.calls).toEqual([]);
  });

  it('puts the reference of a finished upload into the cache', async () => {
    const { fake, serve, queryClient, wrapper } = setup();
    serve();
    const { result } = renderHook(() => useUpload(), { wrapper });
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.upload(file('a.txt', 5), { key: 'a', cdn: true })[0]!.done;
    });
    await act(() => done);
    expect(queryClient.getQueryData(metadataKeys.object('a', true))).toMatchObject({ key: 'a', size: 5 });
    const gets = fake.calls.filter((call) => call.method === 'get').length;
    const { result: metadata } = renderHook(
      () => useObjectMetadata('a', { cdn: true, staleTime: Infinity }),
      {
        wrapper,
      },
    );
    expect(metadata.current.data).toMatchObject({ key: 'a', size: 5 });
    expect(fake.calls.filter((call) => call.method === 'get')).toHaveLength(gets);
  });

  it('caches references only: nothing in the cache looks like a URL', async () => {
    const { fake, serve, queryClient, wrapper } = setup();
    serve();
    const { result } = renderHook(() => ({ upload: useUpload(), meta: useObjectMetadata('b') }), { wrapper });
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.upload.upload(file('b.txt'), { key: 'b' })[0]!.done;
    });
    await act(() => done);
    await waitFor(() => expect(result.current.meta.data).toMatchObject({ key: 'b' }));
    expect(fake.presigns).toHaveLength(1);
    const cached = JSON.stringify(
      queryClient
        .getQueryCache()
        .getAll()
        .map((query) => query.state.data),
    );
    expect(cached).not.toMatch(/https?:|store\.test|url/i);
  });

  it('useDeleteObject deletes and the key then reads null', async () => {
    const { fake, wrapper } = setup();
    fake.objects.set('x', reference('x'));
    const { result } = renderHook(() => ({ meta: useObjectMetadata('x'), del: useDeleteObject() }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.meta.data).not.toBeNull());
    await act(() => result.current.del.mutateAsync('x'));
    expect(fake.objects.has('x')).toBe(false);
    await waitFor(() => expect(result.current.meta.data).toBeNull());
  });
});

describe('useDownload', () => {
  it('downloads into a Blob and mirrors the real task; retry starts a new one', async () => {
    const { backend, client } = createMemoryClient();
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    await store(client, 'docs/report.pdf', bytes);
    backend.setFaults({ corruptDownload: true });
    const { result } = renderHook(() => useDownload({ to: 'blob', segmentSize: 64 * 1024 }), {
      wrapper: wrapperFor(client),
    });
    let first!: DownloadTask;
    act(() => {
      first = result.current.download('docs/report.pdf');
    });
    expect(result.current.items[0]).toMatchObject({ name: 'report.pdf', key: 'docs/report.pdf' });
    expect(result.current.isDownloading).toBe(true);
    await act(() => first.done.catch(() => {}));
    await waitFor(() =>
      expect(result.current.items[0]).toMatchObject({
        status: 'failed',
        error: { code: 'CHECKSUM_MISMATCH' },
      }),
    );

    backend.setFaults({ corruptDownload: null });
    act(() => result.current.retry(first.id));
    expect(result.current.items).toHaveLength(1);
    const second = result.current.items[0]!.task;
    expect(second).not.toBe(first);
    const blob = await act(() => second.done);
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
    await waitFor(() =>
      expect(result.current.items[0]).toMatchObject({
        status: 'done',
        progress: 1,
        loaded: 300_000,
        total: 300_000,
      }),
    );
    expect(result.current.isDownloading).toBe(false);
    expect(result.current.progress).toBe(1);
  });
});

describe('useObjectStore (Forge parity)', () => {
  it('uploads Blobs and base64 objects, tracks their states, and resolves with results', async () => {
    const { client, fake, transport, wrapper } = setup();
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    let pending!: Promise<unknown>;
    act(() => {
      pending = result.current.uploadObjects({
        objects: [new Blob(['hello'], { type: 'text/plain' }), { data: btoa('png!'), mimeType: 'image/png' }],
      });
    });
    const [keyA, keyB] = client.uploads.map((task) => task.key);
    expect(result.current.objectStates).toMatchObject([
      { key: keyA, objectType: 'text/plain', objectSize: 5, isUploading: true, progress: 0 },
      { key: keyB, objectType: 'image/png', objectSize: 4, isUploading: true },
    ]);
    const puts = [await transport.next(), await transport.next()];
    const forA = puts.find((put) => put.body?.size === 5)!;
    const forB = puts.find((put) => put.body?.size === 4)!;
    expect(await forB.body?.text()).toBe('png!');
    act(() => forA.progress(1));
    await waitFor(() => expect(result.current.objectStates[0]?.progress).toBe(0.2));
    await act(() => fake.serve(forA));
    act(() => forB.respond(409, JSON.stringify({ code: 'OBJECT_EXISTS', message: 'exists' })));
    const results = (await act(() => pending)) as {
      key: string;
      success: boolean;
      error?: ObjectStoreError;
    }[];
    expect(results.map((r) => [r.key, r.success, r.error?.code])).toEqual([
      [keyA, true, undefined],
      [keyB, false, 'OBJECT_EXISTS'],
    ]);
    expect(result.current.objectStates).toMatchObject([
      { key: keyA, success: true, isUploading: false, progress: 1 },
      { key: keyB, success: false, errorCode: 'OBJECT_EXISTS', isUploading: false },
    ]);
  });

  it('deletes objects, shows isDeleting meanwhile, and reads their metadata', async () => {
    const { fake, wrapper } = setup();
    fake.objects.set('x', reference('x'));
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    expect(await result.current.getObjectMetadata('x')).toEqual(reference('x'));
    expect(await result.current.getObjectMetadata('nope')).toBeUndefined();
    let pending!: Promise<unknown>;
    act(() => {
      pending = result.current.deleteObjects({ keys: ['x'] });
    });
    expect(result.current.objectStates).toMatchObject([{ key: 'x', isDeleting: true, status: 'deleting' }]);
    await act(async () => {
      expect(await pending).toEqual([{ key: 'x', success: true }]);
    });
    expect(result.current.objectStates).toEqual([]);
    expect(await result.current.getObjectMetadata('x')).toBeUndefined();
  });

  it('reports a failed delete as data', async () => {
    const { fake, wrapper } = setup();
    fake.failNext('delete', new ObjectStoreError('INVALID_REQUEST', 'no', { status: 400 }));
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    const results = await act(() => result.current.deleteObjects({ keys: ['x'] }));
    expect(results).toMatchObject([{ key: 'x', success: false, error: { code: 'INVALID_REQUEST' } }]);
    expect(result.current.objectStates).toMatchObject([
      { key: 'x', success: false, isDeleting: false, errorCode: 'INVALID_REQUEST' },
    ]);
  });

  it('downloads objects into Blobs, reporting a missing one as data', async () => {
    const { client } = createMemoryClient();
    await store(client, 'a', 'bytes');
    const { result } = renderHook(() => useObjectStore(), { wrapper: wrapperFor(client) });
    let pending!: Promise<DownloadObjectResult[]>;
    act(() => {
      pending = result.current.downloadObjects({ keys: ['a', 'missing'] });
    });
    expect(result.current.objectStates).toMatchObject([
      { key: 'a', isDownloading: true },
      { key: 'missing', isDownloading: true },
    ]);
    const results = await act(() => pending);
    expect(await results[0]?.blob?.text()).toBe('bytes');
    expect(results.map((r) => [r.key, r.success, r.error?.code])).toEqual([
      ['a', true, undefined],
      ['missing', false, 'NOT_FOUND'],
    ]);
    expect(result.current.objectStates).toMatchObject([
      { key: 'a', success: true, isDownloading: false, progress: 1 },
      { key: 'missing', success: false, errorCode: 'NOT_FOUND', isDownloading: false },
    ]);
  });
});

describe('over the in-memory store', () => {
  it('uploads, reads the metadata back from the cache, deletes, and reads null', async () => {
    const backend = createMemoryBackend();
    const client = createObjectStore({ backend, hasher: nodeHasher });
    const wrapper = wrapperFor(client);
    const { result } = renderHook(
      () => ({ upload: useUpload(), meta: useObjectMetadata('docs/a.txt'), del: useDeleteObject() }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.meta.data).toBeNull());
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.upload.upload(new File(['hello'], 'a.txt', { type: 'text/plain' }), {
        key: 'docs/a.txt',
      })[0]!.done;
    });
    const stored = await act(() => done);
    expect(result.current.meta.data).toEqual(stored);
    expect(result.current.meta.data).toMatchObject({ key: 'docs/a.txt', size: 5 });
    expect(backend.objects().map((object) => object.key)).toEqual(['docs/a.txt']);
    await act(() => result.current.del.mutateAsync('docs/a.txt'));
    await waitFor(() => expect(result.current.meta.data).toBeNull());
    expect(backend.objects()).toEqual([]);
  });
});
