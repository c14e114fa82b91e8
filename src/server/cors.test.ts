import { afterEach, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from './__tests__/harness';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('CORS', () => {
  it('lets a configured origin preflight a PUT with Content-Type and read the exposed headers', async () => {
    store = await startTestStore({ corsOrigins: ['http://app.test'] });
    const preflight = await fetch(`${store.url}/objects/default?key=k`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const api = await store.api('metadata', { key: 'k' }, { origin: 'http://app.test' });
    expect(api.headers.get('access-control-allow-origin')).toBe('http://app.test');
    const exposed = api.headers.get('access-control-expose-headers') ?? '';
    for (const header of ['ETag', 'Content-Range', 'Content-Length', 'Accept-Ranges', 'Retry-After'])
      expect(exposed).toContain(header);
  });

  it('gives other origins no CORS headers', async () => {
    store = await startTestStore({ corsOrigins: ['http://app.test'] });
    const api = await store.api('metadata', { key: 'k' }, { origin: 'http://evil.test' });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("allows any origin with '*'", async () => {
    store = await startTestStore({ corsOrigins: ['*'] });
    const api = await store.api('metadata', { key: 'k' }, { origin: 'http://anything.test' });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
  });
});
