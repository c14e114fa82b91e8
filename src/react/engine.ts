// Placeholder until the upload engine (src/core/client.ts) lands on main: then this file
// re-exports the real `createObjectStore`.
import { ObjectStoreError } from '../core/errors';
import type { ObjectStoreBackend } from '../core/types';
import type { ObjectStoreClient } from './engine-types';

export interface CreateObjectStoreOptions {
  backend: ObjectStoreBackend;
  [option: string]: unknown;
}

export function createObjectStore(_options: CreateObjectStoreOptions): ObjectStoreClient {
  throw new ObjectStoreError(
    'INVALID_INPUT',
    'The upload engine is not available in this build; pass `client`.',
  );
}
