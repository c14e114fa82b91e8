import { ObjectStoreError, type ObjectStoreErrorCode, STORE_ERROR_CODES } from './errors';

const KNOWN_CODES: ReadonlySet<string> = new Set(STORE_ERROR_CODES);

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

// S3-compatible stores answer pre-signed requests with XML errors: <Error><Code>SlowDown</Code>…
const S3_CODES: Readonly<Record<string, ObjectStoreErrorCode>> = {
  SlowDown: 'TOO_MANY_REQUESTS',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  RequestLimitExceeded: 'TOO_MANY_REQUESTS',
  BadDigest: 'CHECKSUM_MISMATCH',
  XAmzContentChecksumMismatch: 'CHECKSUM_MISMATCH',
  IncompleteBody: 'LENGTH_MISMATCH',
  EntityTooLarge: 'OBJECT_TOO_LARGE',
  NoSuchKey: 'NOT_FOUND',
  SignatureDoesNotMatch: 'SIGNATURE_INVALID',
};

function s3ErrorOf(bodyText: string): { code: string; message: string } | undefined {
  const code = /<Code>([^<]{1,80})<\/Code>/.exec(bodyText)?.[1];
  if (!code) return undefined;
  return { code, message: /<Message>([^<]{1,300})<\/Message>/.exec(bodyText)?.[1] ?? '' };
}

/**
 * Turns a non-2xx answer into an `ObjectStoreError`. Bodies of the form `{ code, message }`
 * (the local store, `createHttpBackend` servers) keep their code; S3 XML errors are mapped by their
 * `<Code>`; anything else by status. Pass the request's `method`: an S3 store answers an upload
 * with `overwrite: false` (`If-None-Match: *`) onto an existing key with 412, which for a PUT means
 * `OBJECT_EXISTS`, not `OBJECT_CHANGED`.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  headers?: Headers,
  method?: string,
): ObjectStoreError {
  let code: ObjectStoreErrorCode = codeForStatus(status);
  let message = `The server answered ${status}.`;
  const s3 = s3ErrorOf(bodyText);
  if (s3) {
    code = S3_CODES[s3.code] ?? code;
    message = `The store answered ${status} ${s3.code}${s3.message ? `: ${s3.message}` : '.'}`;
  } else {
    try {
      const body = JSON.parse(bodyText) as { code?: unknown; message?: unknown };
      if (typeof body.code === 'string' && KNOWN_CODES.has(body.code))
        code = body.code as ObjectStoreErrorCode;
      if (typeof body.message === 'string' && body.message) message = body.message;
    } catch {
      if (bodyText && bodyText.length < 300) message = `${message} ${bodyText}`;
    }
  }
  if (status === 412 && method?.toUpperCase() === 'PUT') code = 'OBJECT_EXISTS';
  if (status === 403 && (code === 'BACKEND' || code === 'SIGNATURE_INVALID') && /expired/i.test(bodyText))
    code = 'URL_EXPIRED';
  else if (status === 403 && code === 'BACKEND') code = 'SIGNATURE_INVALID';
  return new ObjectStoreError(code, message, {
    status,
    retryAfterSeconds: parseRetryAfter(headers?.get('retry-after') ?? null),
  });
}
