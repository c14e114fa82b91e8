import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBackend } from '../../adapters/http-backend';
import { startTestStore, type TestStore } from '../../server/__tests__/harness';
import { createObjectStore } from '../client';
import { nodeHasher } from '../test-support/fake-backend';

describe('from Node 20 with the fetch transport', () => {
  let store: TestStore;
  let dir = '';

  beforeAll(async () => {
    store = await startTestStore();
    dir = await mkdtemp(join(tmpdir(), 'objectdrop-upload-'));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads on-disk files (fs.openAsBlob) through createHttpBackend and stores their exact bytes', async () => {
    const client = createObjectStore({
      backend: createHttpBackend({ baseUrl: store.url }),
      hasher: nodeHasher,
    });
    const contents = [Buffer.alloc(3 * 1024 * 1024, 7), Buffer.from('second file'), Buffer.alloc(0)];
    const tasks = await Promise.all(
      contents.map(async (bytes, i) => {
        const path = join(dir, `file-${i}.bin`);
        await writeFile(path, bytes);
        return client.upload(await openAsBlob(path), { key: `node/${i}` });
      }),
    );
    const objects = await Promise.all(tasks.map((task) => task.done));
    contents.forEach((bytes, i) => {
      expect(objects[i]).toMatchObject({ key: `node/${i}`, size: bytes.length });
      expect(objects[i]?.checksum).toBe(createHash('sha256').update(bytes).digest('base64'));
    });
    expect(tasks.every((task) => task.getSnapshot().status === 'done')).toBe(true);
    await expect(client.get('node/0')).resolves.toMatchObject({ size: 3 * 1024 * 1024 });
    // The bytes the store serves back are the file's.
    const download = await fetch(await store.downloadUrl('node/1'));
    expect(await download.text()).toBe('second file');
    await expect(client.get('missing')).resolves.toBeUndefined();
  });

  it('retries a PUT whose connection the store drops, with fetch', async () => {
    const faults = await fetch(`${store.url}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropUploadAfterBytes: 200_000, dropCount: 1 }),
    });
    expect(faults.status).toBeLessThan(300);
    const client = createObjectStore({
      backend: createHttpBackend({ baseUrl: store.url }),
      hasher: nodeHasher,
      retry: { baseDelayMs: 10 },
    });
    const bytes = Buffer.alloc(2 * 1024 * 1024, 3);
    const task = client.upload(new Blob([bytes]), { key: 'node/dropped' });
    await expect(task.done).resolves.toMatchObject({ size: bytes.length });
    expect(task.getSnapshot().attempts).toBe(2);
  });
});
