import { ObjectStoreError } from './errors';
import { CONTENT_TYPE_PATTERN, DIGEST_BYTES, MAX_CDN_TTL_SECONDS, MAX_REQUEST_PAYLOAD_BYTES } from './limits';
import { CHECKSUM_TYPES, type ChecksumType, type UploadUrlBody } from './types';

/**
 * Checks of the store's request bodies, shared by everything that plays the server side
 * (the in-memory store, the Forge resolvers): a bad field is a 400 `INVALID_REQUEST` naming it.
 */
export function invalidRequest(field: string, message: string): ObjectStoreError {
  return new ObjectStoreError('INVALID_REQUEST', `${field}: ${message}`, { status: 400, retryable: false });
}

const encoder = new TextEncoder();

/** The seed's 1 kB request payload limit, measured on the JSON the request would carry. */
export function assertPayloadSize(payload: unknown, limit = MAX_REQUEST_PAYLOAD_BYTES): void {
  const bytes = encoder.encode(JSON.stringify(payload) ?? '').length;
  if (bytes > limit)
    throw new ObjectStoreError(
      'PAYLOAD_TOO_LARGE',
      `The request payload is ${bytes} bytes; the store accepts at most ${limit}.`,
      { status: 413, retryable: false },
    );
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest('body', 'must be a JSON object.');
  return value as Record<string, unknown>;
}

export function parseKey(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalidRequest('key', 'must be a non-empty string.');
  // A lone surrogate has no UTF-8 form: two such keys would collapse into one.
  if (/\p{Surrogate}/u.test(value))
    throw invalidRequest('key', 'must be well-formed UTF-16 (no lone surrogates).');
  return value;
}

/** Canonical base64 of exactly the digest's byte count. */
function isDigestBase64(value: string, type: ChecksumType): boolean {
  try {
    const binary = atob(value);
    return binary.length === DIGEST_BYTES[type] && btoa(binary) === value;
  } catch {
    return false;
  }
}

export function parseContentType(value: unknown, field = 'contentType'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !CONTENT_TYPE_PATTERN.test(value))
    throw invalidRequest(field, 'must be a media type of printable ASCII, at most 255 characters.');
  return value;
}

export function parseOptionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(field, 'must be a boolean.');
  return value;
}

/** Seconds, `0 < value ≤ max`; absent (`undefined`/`null`) gives `undefined`. */
export function parseOptionalSeconds(value: unknown, field: string, max?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalidRequest(field, 'must be a number of seconds greater than 0.');
  if (max !== undefined && value > max) throw invalidRequest(field, `must be at most ${max} seconds.`);
  return value;
}

/** `UploadUrlBody`, checked field by field; unknown fields are dropped. */
export function parseUploadUrlBody(value: unknown): UploadUrlBody {
  const record = asRecord(value);
  const key = parseKey(record.key);
  const { length, checksum, checksumType, contentType } = record;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
    throw invalidRequest('length', 'must be a whole number of bytes, 0 or more.');
  if (!CHECKSUM_TYPES.includes(checksumType as ChecksumType))
    throw invalidRequest('checksumType', `must be one of ${CHECKSUM_TYPES.join(', ')}.`);
  const type = checksumType as ChecksumType;
  if (typeof checksum !== 'string' || !isDigestBase64(checksum, type))
    throw invalidRequest('checksum', `must be the base64 of the ${DIGEST_BYTES[type]}-byte ${type} digest.`);
  const checkedType = parseContentType(contentType);
  const body: UploadUrlBody = { key, length, checksum, checksumType: checksumType as ChecksumType };
  const ttlSeconds = parseOptionalSeconds(record.ttlSeconds, 'ttlSeconds');
  const overwrite = parseOptionalBoolean(record.overwrite, 'overwrite');
  const cdn = parseOptionalBoolean(record.cdn, 'cdn');
  if (ttlSeconds !== undefined) body.ttlSeconds = ttlSeconds;
  if (overwrite !== undefined) body.overwrite = overwrite;
  if (cdn !== undefined) body.cdn = cdn;
  if (checkedType !== undefined) body.contentType = checkedType;
  return body;
}

/** `{ key, cdn? }`: the body of metadata, delete and download-url requests. */
export function parseBucketRequest(value: unknown): { key: string; cdn?: boolean } {
  const record = asRecord(value);
  const key = parseKey(record.key);
  const cdn = parseOptionalBoolean(record.cdn, 'cdn');
  return cdn === undefined ? { key } : { key, cdn };
}

/** `{ key, ttlSeconds? }`: the body of a CDN URL request, `0 < ttlSeconds ≤ 2,505,600`. */
export function parseCdnUrlRequest(value: unknown): { key: string; ttlSeconds?: number } {
  const record = asRecord(value);
  const key = parseKey(record.key);
  const ttlSeconds = parseOptionalSeconds(record.ttlSeconds, 'ttlSeconds', MAX_CDN_TTL_SECONDS);
  return ttlSeconds === undefined ? { key } : { key, ttlSeconds };
}
