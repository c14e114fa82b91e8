import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../client';
import { createRetryPolicy } from '../retry';
import { patternBytes, ScriptedStore, sha256Base64 } from '../test-support/scripted-store';

function client(store: ScriptedStore) {
  return createObjectStore({
    backend: {
      ...store.backend(),
      createCDNUrl: async (key) => ({ url: `mem://cdn/${key}` }),
    },
    transport: store.transport(),
    retry: createRetryPolicy({ baseDelayMs: 1 }),
  });
}

describe('client downloads', () => {
  it('downloads through the client and lists the task', async () => {
    const store = new ScriptedStore(patternBytes(100_000));
    const od = client(store);
    let changes = 0;
    od.subscribe(() => changes++);
    const task = od.download('a/b.bin', { segmentSize: 30_000 });
    expect(od.downloads).toEqual([task]);
    const blob = await task.done;
    expect(sha256Base64(new Uint8Array(await blob!.arrayBuffer()))).toBe(store.checksum);
    expect(od.getDownloadsSnapshot().map((s) => s.status)).toEqual(['done']);
    expect(changes).toBeGreaterThan(2);
    od.clearFinished();
    expect(od.downloads).toEqual([]);
  });

  it('shares the client 429 gate between downloads', async () => {
    const store = new ScriptedStore(patternBytes(50_000));
    let refused = 0;
    store.scripts.push((_request, _s, index) =>
      index === 0 && refused++ === 0
        ? {
            status: 429,
            headers: new Headers({ 'retry-after': '0.05' }),
            body: null,
            text: async () => JSON.stringify({ code: 'TOO_MANY_REQUESTS', message: 'slow down' }),
          }
        : undefined,
    );
    const od = client(store);
    await od.download('x', { segmentSize: 10_000 }).done;
    expect(od.context.gate.pausedUntil).toBeGreaterThan(0);
  });

  it('hands out plain download and CDN URLs', async () => {
    const od = client(new ScriptedStore(patternBytes(1)));
    expect(await od.createDownloadUrl('k')).toMatch(/^mem:\/\/store\/k\?g=/);
    expect(await od.createCDNUrl('k', { ttlSeconds: 60 })).toBe('mem://cdn/k');
  });

  it('throws INVALID_INPUT at once for bad download options', () => {
    const od = client(new ScriptedStore(patternBytes(1)));
    expect(() => od.download('k', { parallel: 0 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(od.downloads).toEqual([]);
  });
});
