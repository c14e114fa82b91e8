import type { ObjectStoreBackend } from '../types';
import type { Transport } from './types';
import { createDefaultTransport } from './xhr-transport';

/**
 * The client's transport: the caller's, else the one the backend carries (in-memory URLs),
 * else XHR for uploads / fetch for the rest. Creating it touches no browser global.
 */
export function selectTransport(transport: Transport | undefined, backend: ObjectStoreBackend): Transport {
  return transport ?? backend.transport ?? createDefaultTransport();
}
