import { afterEach, describe, expect, it } from 'vitest';
import { createObjectStore } from '../client';
import { createRetryPolicy } from '../retry';
import { patternBytes, ScriptedStore, sha256Base64 } from '../test-support/scripted-store';

// client.download hands back a task before its engine has loaded (a dynamic import): these check that
// the task behaves the same in that window as the engine's own task would.

function client(store: ScriptedStore) {
  const backend = store.backend();
  const calls = { get: 0 };
  const od = createObjectStore({
    backend: {
      ...backend,
      get: (key, options) => {
        calls.get++;
        return backend.get(key, options);
      },
    },
    transport: store.transport(),
    retry: createRetryPolicy({ baseDelayMs: 1 }),
  });
  return { od, calls };
}

const bytesOf = async (blob: Blob | undefined) => sha256Base64(new Uint8Array(await blob!.arrayBuffer()));

describe('a download before its engine has loaded', () => {
  const global = globalThis as { showSaveFilePicker?: unknown };
  afterEach(() => {
    delete global.showSaveFilePicker;
  });

  it('is queued at once, and a pause taken then holds until resume', async () => {
    const store = new ScriptedStore(patternBytes(40_000));
    const { od, calls } = client(store);
    const task = od.download('a/b.bin', { segmentSize: 16_000 });
    expect(task.key).toBe('a/b.bin');
    expect(task.getSnapshot()).toMatchObject({ status: 'queued', loaded: 0, total: 0 });
    let changes = 0;
    task.subscribe(() => changes++);
    task.pause();
    expect(task.getSnapshot().status).toBe('paused');
    expect(changes).toBe(1);
    // Long enough for the engine to load and, were the pause lost, to fetch the whole object.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(task.getSnapshot().status).toBe('paused');
    expect(calls.get + store.urlCalls + store.requests.length).toBe(0);
    task.resume();
    expect(await bytesOf(await task.done)).toBe(store.checksum);
    expect(task.getSnapshot().status).toBe('done');
    expect(od.getDownloadsSnapshot().map((snapshot) => snapshot.status)).toEqual(['done']);
  });

  it('cancels without a request, rejecting done with ABORTED', async () => {
    const store = new ScriptedStore(patternBytes(1000));
    const { od, calls } = client(store);
    const task = od.download('k');
    task.cancel();
    expect(task.getSnapshot()).toMatchObject({ status: 'canceled', error: { code: 'ABORTED' } });
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED' });
    task.resume();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(task.getSnapshot().status).toBe('canceled');
    expect(calls.get + store.urlCalls + store.requests.length).toBe(0);
  });

  it('is canceled at once by an aborted signal, with its reason', async () => {
    const store = new ScriptedStore(patternBytes(1000));
    const { od } = client(store);
    const controller = new AbortController();
    controller.abort('gone');
    const task = od.download('k', { signal: controller.signal });
    expect(task.getSnapshot().status).toBe('canceled');
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED', cause: 'gone' });
  });

  it('opens the save picker before returning, and the engine writes to what it picked', async () => {
    const store = new ScriptedStore(patternBytes(1000));
    const { od } = client(store);
    const asked: unknown[] = [];
    global.showSaveFilePicker = (options: unknown) => {
      asked.push(options);
      return Promise.reject(
        Object.assign(new Error('The user dismissed the picker.'), { name: 'AbortError' }),
      );
    };
    const task = od.download('reports/q3.pdf', { to: 'file' });
    expect(asked).toEqual([{ suggestedName: 'q3.pdf' }]);
    await expect(task.done).rejects.toMatchObject({ code: 'ABORTED' });
    // Still the one picker: the engine took its answer rather than asking again.
    expect(asked).toHaveLength(1);
  });

  it('still throws INVALID_INPUT at once for bad options', () => {
    const { od } = client(new ScriptedStore(patternBytes(1)));
    expect(() => od.download('', {})).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => od.download('k', { onObjectChanged: 'retry' as 'fail' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(od.downloads).toEqual([]);
  });
});
