import { ObjectStoreError, type ObjectStoreErrorCode } from './errors';

const KNOWN_CODES: ReadonlySet<string> = new Set<ObjectStoreErrorCode>([
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
]);

function codeForStatus(status: number): ObjectStoreErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'OBJECT_EXISTS';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 412) return 'OBJECT_CHANGED';
  if (status === 400 || status === 422) return 'INVALID_REQUEST';
  return 'BACKEND';
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * Turns a non-2xx answer into an `ObjectStoreError`. Bodies of the form `{ code, message }`
 * (the local store, `createHttpBackend` servers) keep their code; anything else is mapped by status.
 */
export function errorFromResponse(status: number, bodyText: string, headers?: Headers): ObjectStoreError {
  let code: ObjectStoreErrorCode = codeForStatus(status);
  let message = `The server answered ${status}.`;
  try {
    const body = JSON.parse(bodyText) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string' && KNOWN_CODES.has(body.code)) code = body.code as ObjectStoreErrorCode;
    if (typeof body.message === 'string' && body.message) message = body.message;
  } catch {
    if (bodyText && bodyText.length < 300) message = `${message} ${bodyText}`;
  }
  if (status === 403 && code === 'BACKEND')
    code = /expired/i.test(bodyText) ? 'URL_EXPIRED' : 'SIGNATURE_INVALID';
  return new ObjectStoreError(code, message, {
    status,
    retryAfterSeconds: parseRetryAfter(headers?.get('retry-after') ?? null),
  });
}
