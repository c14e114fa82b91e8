import type { ObjectStoreError, ObjectStoreErrorCode } from '../core/errors';
import { errorFromResponse } from '../core/http-errors';

/** Names of the resolver functions the Forge backend invokes, one per backend method. */
export interface ForgeFunctionKeys {
  createUploadUrl: string;
  /** Several upload URLs in one invocation; optional for hand-written resolvers (see `createForgeBackend`). */
  createUploadUrls: string;
  createDownloadUrl: string;
  get: string;
  delete: string;
  createCDNUrl: string;
}

export const DEFAULT_FORGE_FUNCTION_KEYS: Readonly<ForgeFunctionKeys> = {
  createUploadUrl: 'objectdrop.createUploadUrl',
  createUploadUrls: 'objectdrop.createUploadUrls',
  createDownloadUrl: 'objectdrop.createDownloadUrl',
  get: 'objectdrop.get',
  delete: 'objectdrop.delete',
  createCDNUrl: 'objectdrop.createCDNUrl',
};

/**
 * A failure as a resolver returns it. Errors thrown in a resolver reach the page as an untyped
 * bridge error, so the resolvers answer `{ error }` instead and the backend rebuilds the typed error.
 */
export interface ForgeErrorData {
  code: ObjectStoreErrorCode | (string & {});
  message: string;
  status?: number;
  retryAfterSeconds?: number;
}

/** What the resolvers return: `{ result }` (null when not found) or `{ error }`. */
export type ForgeResolverResult<T> = { result: T | null } | { error: ForgeErrorData };

/** Drops `undefined` fields: they would cost payload bytes as `null` on some bridges. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * A failure that arrives as data (an SDK error's code, a resolver's `{ error }`) read as
 * `errorFromResponse` reads a JSON error body: a known code is kept, any other is decided by the status.
 */
export function errorFromData(status: number | undefined, code: unknown, message: string): ObjectStoreError {
  return errorFromResponse(status ?? 500, JSON.stringify({ code, message }));
}
