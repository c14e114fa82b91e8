// @vitest-environment jsdom
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ObjectStoreError } from '../core/errors';
import { ObjectStoreProvider } from './provider';
import { metadataKeys } from './query-keys';
import { createScriptedClient, type ScriptedClient } from './test/scripted-client';
import { useDownload } from './use-download';
import { useDeleteObject, useObjectMetadata } from './use-object-metadata';
import { useObjectStore } from './use-object-store';
import { useUpload } from './use-upload';

afterEach(cleanup);

function setup(client: ScriptedClient = createScriptedClient()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ObjectStoreProvider client={client} queryClient={queryClient}>
      {children}
    </ObjectStoreProvider>
  );
  return { client, queryClient, wrapper };
}

const file = (name: string, size = 10, type = 'text/plain') =>
  new File([new Uint8Array(size)], name, { type });

describe('<ObjectStoreProvider>', () => {
  it('uses the QueryClient of a QueryClientProvider above it', () => {
    const outer = new QueryClient();
    const client = createScriptedClient();
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
    const client = createScriptedClient();
    const { result } = renderHook(() => useQueryClient(), {
      wrapper: ({ children }) => <ObjectStoreProvider client={client}>{children}</ObjectStoreProvider>,
    });
    expect(result.current).toBeInstanceOf(QueryClient);
  });

  it('refuses hooks used outside a provider with a clear error', () => {
    expect(() => renderHook(() => useUpload())).toThrow(/ObjectStoreProvider/);
  });

  it('stops listening to the client when unmounted', () => {
    const { client, wrapper } = setup();
    const { unmount } = renderHook(() => useUpload(), { wrapper });
    expect(client.listenerCount()).toBeGreaterThan(0);
    unmount();
    expect(client.listenerCount()).toBe(0);
  });
});

describe('useUpload', () => {
  it('mirrors each task snapshot, with name, type, size and progress', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useUpload({ ttlSeconds: 60 }), { wrapper });
    act(() => {
      result.current.upload([file('a.txt', 100), file('b.txt', 300)], (_, index) => ({ key: `k${index}` }));
    });
    expect(client.uploads.map((task) => [task.key, task.options])).toEqual([
      ['k0', { ttlSeconds: 60, key: 'k0' }],
      ['k1', { ttlSeconds: 60, key: 'k1' }],
    ]);
    expect(result.current.items.map((item) => [item.name, item.type, item.size, item.status])).toEqual([
      ['a.txt', 'text/plain', 100, 'queued'],
      ['b.txt', 'text/plain', 300, 'queued'],
    ]);
    expect(result.current.isUploading).toBe(true);

    act(() => client.uploads[0]!.set({ status: 'uploading', loaded: 50, bytesPerSecond: 25, etaSeconds: 2 }));
    expect(result.current.items[0]).toMatchObject({
      status: 'uploading',
      loaded: 50,
      progress: 0.5,
      speed: 25,
      etaSeconds: 2,
    });
    expect(result.current.progress).toBe(50 / 400);

    act(() => {
      client.uploads[0]!.store(client.objects);
      client.uploads[1]!.store(client.objects);
    });
    expect(result.current.items.map((item) => item.status)).toEqual(['done', 'done']);
    expect(result.current.items[0]?.object).toMatchObject({ key: 'k0', size: 100 });
    expect(result.current.progress).toBe(1);
    expect(result.current.isUploading).toBe(false);
  });

  it('passes cancel, pause, resume and retry to the task', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useUpload(), { wrapper });
    act(() => {
      result.current.upload(file('a.txt'));
    });
    const id = result.current.items[0]!.id;
    act(() => result.current.pause(id));
    expect(result.current.items[0]?.status).toBe('paused');
    act(() => result.current.resume(id));
    act(() => client.uploads[0]!.fail(new ObjectStoreError('CHECKSUM_MISMATCH', 'mismatch')));
    expect(result.current.items[0]).toMatchObject({ status: 'failed', error: { code: 'CHECKSUM_MISMATCH' } });
    act(() => result.current.retry(id));
    act(() => result.current.cancel(id));
    expect(client.uploads[0]!.calls).toEqual(['pause', 'resume', 'retry', 'cancel']);
    expect(result.current.items[0]?.status).toBe('canceled');
  });

  it('removes items (canceling running ones) and clears finished ones, for every list of the provider', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => ({ a: useUpload(), b: useUpload() }), { wrapper });
    act(() => {
      result.current.a.upload([file('1'), file('2'), file('3')]);
    });
    act(() => result.current.a.remove(client.uploads[0]!.id));
    expect(client.uploads[0]!.calls).toEqual(['cancel']);
    expect(result.current.b.items.map((item) => item.name)).toEqual(['2', '3']);
    act(() => {
      client.uploads[1]!.store(client.objects);
    });
    act(() => result.current.b.clear());
    expect(result.current.a.items.map((item) => item.name)).toEqual(['3']);
    expect(client.uploads[2]!.calls).toEqual([]);
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
});

describe('metadata', () => {
  it('fetches metadata through React Query, null when the object does not exist', async () => {
    const { client, wrapper } = setup();
    client.objects.set('x', { key: 'x', checksum: 'c', size: 1 });
    const { result } = renderHook(() => ({ x: useObjectMetadata('x'), y: useObjectMetadata('y') }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.x.data).toEqual({ key: 'x', checksum: 'c', size: 1 }));
    await waitFor(() => expect(result.current.y.data).toBeNull());
  });

  it('does not query while the key is undefined', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useObjectMetadata(undefined), { wrapper });
    expect(result.current.fetchStatus).toBe('idle');
    expect(client.getCalls).toEqual([]);
  });

  it('puts the reference of a finished upload into the cache, without asking the store', async () => {
    const { client, queryClient, wrapper } = setup();
    const { result } = renderHook(() => useUpload(), { wrapper });
    act(() => {
      result.current.upload(file('a.txt', 5), { key: 'a', cdn: true });
    });
    act(() => {
      client.uploads[0]!.store(client.objects);
    });
    expect(queryClient.getQueryData(metadataKeys.object('a', true))).toMatchObject({ key: 'a', size: 5 });
    const { result: metadata } = renderHook(
      () => useObjectMetadata('a', { cdn: true, staleTime: Infinity }),
      { wrapper },
    );
    expect(metadata.current.data).toMatchObject({ key: 'a', size: 5 });
    expect(client.getCalls).toEqual([]);
  });

  it('caches references only: nothing in the cache looks like a URL', async () => {
    const { client, queryClient, wrapper } = setup();
    client.objects.set('x', { key: 'x', checksum: 'c', size: 1 });
    const { result } = renderHook(() => useObjectMetadata('x'), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const cached = JSON.stringify(
      queryClient
        .getQueryCache()
        .getAll()
        .map((query) => query.state.data),
    );
    expect(cached).not.toMatch(/https?:|url/i);
  });

  it('useDeleteObject deletes and the key then reads null', async () => {
    const { client, wrapper } = setup();
    client.objects.set('x', { key: 'x', checksum: 'c', size: 1 });
    const { result } = renderHook(() => ({ meta: useObjectMetadata('x'), del: useDeleteObject() }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.meta.data).not.toBeNull());
    await act(() => result.current.del.mutateAsync('x'));
    expect(client.deleteCalls).toEqual(['x']);
    await waitFor(() => expect(result.current.meta.data).toBeNull());
  });
});

describe('useDownload', () => {
  it('starts downloads and mirrors them; retry starts over when the task cannot', () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useDownload({ to: 'blob' }), { wrapper });
    act(() => {
      result.current.download('docs/report.pdf');
    });
    expect(client.downloads[0]?.options).toEqual({ to: 'blob' });
    expect(result.current.items[0]).toMatchObject({ name: 'report.pdf', status: 'queued' });
    act(() => client.downloads[0]!.set({ status: 'downloading', loaded: 3, total: 4 }));
    expect(result.current.items[0]?.progress).toBe(0.75);
    expect(result.current.isDownloading).toBe(true);
    act(() => client.downloads[0]!.fail(new ObjectStoreError('OBJECT_CHANGED', 'changed')));
    act(() => result.current.retry(result.current.items[0]!.id));
    expect(client.downloads[0]!.calls).toEqual(['retry']);
  });
});

describe('useObjectStore (Forge parity)', () => {
  it('uploads Blobs and base64 objects, tracks their states, and resolves with results', async () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    let pending!: Promise<unknown>;
    act(() => {
      pending = result.current.uploadObjects({
        objects: [new Blob(['hello'], { type: 'text/plain' }), { data: btoa('png!'), mimeType: 'image/png' }],
      });
    });
    expect(await client.uploads[1]!.file.text()).toBe('png!');
    expect(result.current.objectStates).toMatchObject([
      { key: 'key-1', objectType: 'text/plain', objectSize: 5, isUploading: true, progress: 0 },
      { key: 'key-2', objectType: 'image/png', objectSize: 4, isUploading: true },
    ]);
    act(() => client.uploads[0]!.set({ status: 'uploading', loaded: 1 }));
    expect(result.current.objectStates[0]?.progress).toBe(0.2);
    act(() => {
      client.uploads[0]!.store(client.objects);
      client.uploads[1]!.fail(new ObjectStoreError('TOO_MANY_REQUESTS', 'slow down'));
    });
    const results = (await pending) as { key: string; success: boolean; error?: ObjectStoreError }[];
    expect(results.map((r) => [r.key, r.success, r.error?.code])).toEqual([
      ['key-1', true, undefined],
      ['key-2', false, 'TOO_MANY_REQUESTS'],
    ]);
    expect(result.current.objectStates).toMatchObject([
      { key: 'key-1', success: true, isUploading: false, progress: 1 },
      {
        key: 'key-2',
        success: false,
        error: 'slow down',
        errorCode: 'TOO_MANY_REQUESTS',
        isUploading: false,
      },
    ]);
  });

  it('deletes objects, shows isDeleting meanwhile, and reads their metadata', async () => {
    const { client, wrapper } = setup();
    client.objects.set('x', { key: 'x', checksum: 'c', size: 1 });
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    expect(await result.current.getObjectMetadata('x')).toEqual({ key: 'x', checksum: 'c', size: 1 });
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

  it('downloads objects into Blobs', async () => {
    const { client, wrapper } = setup();
    const { result } = renderHook(() => useObjectStore(), { wrapper });
    let pending!: Promise<unknown>;
    act(() => {
      pending = result.current.downloadObjects({ keys: ['a'] });
    });
    expect(client.downloads[0]?.options).toEqual({ cdn: false, to: 'blob' });
    expect(result.current.objectStates).toMatchObject([{ key: 'a', isDownloading: true }]);
    const blob = new Blob(['bytes']);
    act(() => client.downloads[0]!.succeed(blob, { total: 5 }));
    expect(await pending).toEqual([{ key: 'a', success: true, blob }]);
    expect(result.current.objectStates).toMatchObject([
      { key: 'a', success: true, isDownloading: false, progress: 1 },
    ]);
  });
});
