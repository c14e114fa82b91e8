import { ObjectStoreError } from '../core/errors';

/** The parts of an `S3ServiceException` (or a network error) we look at; duck-typed across SDK copies. */
interface S3LikeError {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);
const THROTTLED = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
]);
const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'AllAccessDisabled',
]);
const EXISTS = new Set(['PreconditionFailed', 'ConditionalRequestConflict']);

/** True for S3's "no such object" answers (HeadObject has no body, so it says `NotFound`). */
export function isS3NotFound(error: unknown): boolean {
  const e = error as S3LikeError;
  return (
    typeof e === 'object' &&
    e !== null &&
    (NOT_FOUND.has(String(e.name)) || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket'))
  );
}

/**
 * Maps what the AWS SDK threw to the codes of the local store, so callers (and the HTTP handler)
 * see one vocabulary: NOT_FOUND, SIGNATURE_INVALID, TOO_MANY_REQUESTS, OBJECT_EXISTS, else BACKEND.
 * `what` names the operation and object, for the message.
 */
export function fromS3Error(error: unknown, what: string): ObjectStoreError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as S3LikeError;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail =
    typeof e.message === 'string' && e.message && e.message !== 'UnknownError' ? `: ${e.message}` : '';
  const options = { cause: error };
  if (name === 'NoSuchBucket')
    return new ObjectStoreError('BACKEND', `${what} failed: the bucket does not exist (NoSuchBucket).`, {
      ...options,
      status: 500,
      retryable: false,
    });
  if (isS3NotFound(error))
    return new ObjectStoreError('NOT_FOUND', `${what}: no such object (${name}).`, {
      ...options,
      status: 404,
    });
  if (THROTTLED.has(name) || status === 429 || status === 503)
    return new ObjectStoreError('TOO_MANY_REQUESTS', `${what}: S3 asked us to slow down (${name}).`, {
      ...options,
      status: 429,
      retryAfterSeconds: 1,
    });
  if (EXISTS.has(name) || status === 412)
    return new ObjectStoreError('OBJECT_EXISTS', `${what}: the object already exists (${name}).`, {
      ...options,
      status: 409,
    });
  if (DENIED.has(name) || status === 403)
    return new ObjectStoreError(
      'SIGNATURE_INVALID',
      `${what}: S3 refused our credentials or policy (${name})${detail}. Check the S3Client's credentials and the bucket policy.`,
      { ...options, status: 403, retryable: false },
    );
  if (status === undefined)
    return new ObjectStoreError('BACKEND', `${what}: S3 could not be reached (${name})${detail}.`, {
      ...options,
      status: 502,
      retryable: true,
    });
  return new ObjectStoreError('BACKEND', `${what}: S3 answered ${status} (${name})${detail}.`, {
    ...options,
    status: status >= 500 ? 502 : 500,
    retryable: status >= 500,
  });
}
