import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { UploadUrlBody } from '../../core/types';
import { type RunningObjectStore, type StartLocalObjectStoreOptions, startLocalObjectStore } from '../start';

export interface TestStore extends RunningObjectStore {
  dir: string;
  /** POSTs `body` as JSON to `/api/v1/<path>`. */
  api(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Asks for a public upload URL, PUTs `data` to it and returns the PUT's response. */
  upload(
    body: Partial<UploadUrlBody> & { key: string },
    data: Uint8Array,
    headers?: Record<string, string>,
  ): Promise<Response>;
  uploadUrl(body: Partial<UploadUrlBody> & { key: string }, data: Uint8Array): Promise<string>;
  downloadUrl(key: string, cdn?: boolean): Promise<string>;
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');

/** A real store on 127.0.0.1, random port, temp dir; `close()` also removes the dir. */
export async function startTestStore(
  options: Partial<StartLocalObjectStoreOptions> = {},
): Promise<TestStore> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'objectdrop-test-')));
  const running = await startLocalObjectStore({ port: 0, corsOrigins: ['*'], admin: true, ...options, dir });
  const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${running.url}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const uploadUrl = async (body: Partial<UploadUrlBody> & { key: string }, data: Uint8Array) => {
    const response = await api('public-upload-url', {
      length: data.length,
      checksum: sha256(data),
      checksumType: 'SHA256',
      ...body,
    });
    if (response.status !== 200) throw new Error(`upload-url: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { url: string }).url;
  };
  return {
    ...running,
    dir,
    api,
    uploadUrl,
    async upload(body, data, headers = {}) {
      return fetch(await uploadUrl(body, data), {
        method: 'PUT',
        body: data as Uint8Array<ArrayBuffer>,
        headers,
      });
    },
    async downloadUrl(key, cdn) {
      const response = await api('public-download-url', { key, cdn });
      if (response.status !== 200)
        throw new Error(`download-url: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { url: string }).url;
    },
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's stores: `start()` runs one on `clock.now`, which stands still from the start until
 * the test moves it; each test's store is closed after the test.
 */
export function setUpTestStores() {
  const clock = { now: Date.now() };
  let current: TestStore | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    clock,
    async start(options: Partial<StartLocalObjectStoreOptions> = {}): Promise<TestStore> {
      clock.now = Date.now();
      current = await startTestStore({ now: () => clock.now, ...options });
      return current;
    },
  };
}
