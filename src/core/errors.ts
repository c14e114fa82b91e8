/**
 * Codes a store (or the app's server) answers with, which the client keeps as they come. `FORBIDDEN`:
 * the app's own authorization refused the operation (Forge resolvers' `authorize`, say).
 */
export const STORE_ERROR_CODES = [
  'INVALID_REQUEST',
  'SIGNATURE_INVALID',
  'URL_EXPIRED',
  'NOT_FOUND',
  'OBJECT_EXISTS',
  'PAYLOAD_TOO_LARGE',
  'OBJECT_TOO_LARGE',
  'CHECKSUM_MISMATCH',
  'LENGTH_MISMATCH',
  'TOO_MANY_REQUESTS',
  'OBJECT_CHANGED',
  'FORBIDDEN',
] as const;

/** Every code an `ObjectStoreError` can carry: the store's own, then the client's. */
export type ObjectStoreErrorCode =
  | (typeof STORE_ERROR_CODES)[number]
  | 'NETWORK'
  | 'ABORTED'
  | 'TIMEOUT'
  | 'INVALID_INPUT'
  | 'BACKEND';

export interface ObjectStoreErrorOptions {
  status?: number;
  retryable?: boolean;
  /** Seconds the server asked us to wait (429 `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ObjectStoreErrorCode> = new Set([
  'NETWORK',
  'TIMEOUT',
  'TOO_MANY_REQUESTS',
  'URL_EXPIRED',
  'BACKEND',
]);

/** The one error type objectdrop throws or rejects with. Compare `code`, not messages. */
export class ObjectStoreError extends Error {
  override readonly name = 'ObjectStoreError' as const;
  readonly code: ObjectStoreErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ObjectStoreErrorCode, message: string, options: ObjectStoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.retryable =
      options.retryable ??
      (RETRYABLE_BY_DEFAULT.has(code) || (options.status !== undefined && options.status >= 500));
  }
}

/** Works across realms (worker, iframe) where `instanceof` does not. */
export function isObjectStoreError(value: unknown): value is ObjectStoreError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'ObjectStoreError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

export function abortError(reason?: unknown): ObjectStoreError {
  return new ObjectStoreError('ABORTED', 'The operation was aborted.', { cause: reason, retryable: false });
}
