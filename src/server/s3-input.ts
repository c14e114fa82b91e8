import { ObjectStoreError } from '../core/errors';
import { MAX_CDN_TTL_SECONDS, MAX_OBJECT_SIZE } from '../core/limits';
import { CHECKSUM_TYPES, type ChecksumType, type UploadUrlBody } from '../core/types';

/** 400 `INVALID_REQUEST` whose message starts with the offending field. */
export function invalidField(field: string, problem: string): ObjectStoreError {
  return new ObjectStoreError('INVALID_REQUEST', `${field}: ${problem}`, { status: 400 });
}

const DIGEST_BYTES: Readonly<Record<ChecksumType, number>> = { SHA1: 20, SHA256: 32, CRC32: 4, CRC32C: 4 };
const S3_MAX_KEY_BYTES = 1024;
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;
const isAbsent = (value: unknown) => value === undefined || value === null;

export function checkS3Key(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw invalidField('key', 'must be a non-empty string.');
  if (/\p{Surrogate}/u.test(key))
    throw invalidField('key', 'must be well-formed UTF-16 (no lone surrogates).');
  if (Buffer.byteLength(key) > S3_MAX_KEY_BYTES)
    throw invalidField('key', `must be at most ${S3_MAX_KEY_BYTES} bytes of UTF-8 (S3's limit).`);
  // URL parsers fold "." and ".." path segments (even percent-encoded), so such a key has no URL.
  if (key.split('/').some((segment) => segment === '.' || segment === '..'))
    throw invalidField('key', 'must not contain "." or ".." path segments: S3 URLs cannot address them.');
  return key;
}

export function checkOptionalFlag(value: unknown, field: string): boolean | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') throw invalidField(field, 'must be a boolean.');
  return value;
}

function checkSeconds(value: unknown, field: string, max?: number): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidField(field, 'must be a number.');
  if (value <= 0) throw invalidField(field, 'must be greater than 0.');
  if (max !== undefined && value > max) throw invalidField(field, `must be at most ${max}.`);
  return value;
}

/** The seed's CDN TTL bounds: `0 < ttlSeconds ≤ 2,505,600` (29 days). */
export function checkCdnTtlSeconds(value: unknown): number | undefined {
  return checkSeconds(value, 'ttlSeconds', MAX_CDN_TTL_SECONDS);
}

export interface CheckedS3UploadBody {
  key: string;
  length: number;
  checksum: string;
  checksumType: ChecksumType;
  ttlSeconds: number | undefined;
  overwrite: boolean;
  cdn: boolean;
  contentType: string | undefined;
}

export function checkS3UploadBody(body: unknown): CheckedS3UploadBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidField('body', 'must be an object.');
  const b = body as Partial<Record<keyof UploadUrlBody, unknown>>;
  const key = checkS3Key(b.key);
  const { length, checksum, checksumType } = b;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
    throw invalidField('length', 'must be a non-negative integer number of bytes.');
  if (typeof checksumType !== 'string' || !CHECKSUM_TYPES.includes(checksumType as ChecksumType))
    throw invalidField('checksumType', `must be one of ${CHECKSUM_TYPES.join(', ')}.`);
  const type = checksumType as ChecksumType;
  if (
    typeof checksum !== 'string' ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(checksum) ||
    Buffer.from(checksum, 'base64').length !== DIGEST_BYTES[type] ||
    Buffer.from(checksum, 'base64').toString('base64') !== checksum
  )
    throw invalidField('checksum', `must be the base64 of the ${DIGEST_BYTES[type]}-byte ${type} digest.`);
  if (length > MAX_OBJECT_SIZE)
    throw new ObjectStoreError(
      'OBJECT_TOO_LARGE',
      `length: ${length} bytes exceeds the maximum object size of ${MAX_OBJECT_SIZE} bytes.`,
      { status: 413 },
    );
  const contentType = b.contentType;
  if (!isAbsent(contentType) && (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType)))
    throw invalidField('contentType', 'must be a media type of printable ASCII, at most 255 characters.');
  return {
    key,
    length,
    checksum,
    checksumType: type,
    ttlSeconds: checkSeconds(b.ttlSeconds, 'ttlSeconds'),
    overwrite: checkOptionalFlag(b.overwrite, 'overwrite') ?? true,
    cdn: checkOptionalFlag(b.cdn, 'cdn') ?? false,
    contentType: isAbsent(contentType) ? undefined : (contentType as string),
  };
}
