// Clients for tests of the React layer, always the real engine: over the core's fake backend and
// scripted transport (each request answered by the test), or over the in-memory store.
import { createObjectStore } from '../../core/client';
import { nodeHasher } from '../../core/test-support/fake-backend';
import { createHarness } from '../../core/test-support/harness';
import { createMemoryBackend, type MemoryBackendOptions } from '../../testing/memory-backend';

/** The real engine, whose every request the test answers (`transport.next()`, `fake.serve`). */
export function createTestClient(options: Parameters<typeof createHarness>[0] = {}) {
  return createHarness(options);
}

/** The real engine over the in-memory store. */
export function createMemoryClient(options: MemoryBackendOptions = {}) {
  const backend = createMemoryBackend(options);
  const client = createObjectStore({ backend, hasher: nodeHasher, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  return { backend, client };
}

/** Stores `bytes` at `key` through the client, as an app would. */
export async function store(
  client: ReturnType<typeof createObjectStore>,
  key: string,
  bytes: Uint8Array<ArrayBuffer> | string,
) {
  return client.upload(new File([bytes], key.split('/').pop() ?? key), { key }).done;
}
