import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalObjectStore } from '../server/start';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of a real local object store (CORS '*', admin endpoints on), for browser tests. */
    objectStoreUrl: string;
  }
}

/**
 * Vitest `globalSetup` of the browser project: one local object store on 127.0.0.1 for the
 * whole run. Tests read its URL with `inject('objectStoreUrl')`. Its fault settings are shared
 * by every test file; a test that injects faults should ask for its own store with
 * `POST {objectStoreUrl}/_admin/sandbox`, which returns `{ url }` of an isolated one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'objectdrop-browser-'));
  const running = await startLocalObjectStore({
    port: 0,
    host: '127.0.0.1',
    dir,
    corsOrigins: ['*'],
    admin: true,
  });
  project.provide('objectStoreUrl', running.url);
  return async () => {
    await running.close();
    await rm(dir, { recursive: true, force: true });
  };
}
