import { ObjectStoreError } from '../core/errors';
import { MAX_CDN_TTL_SECONDS } from '../core/limits';
import { CHECKSUM_TYPES, type ChecksumType, type UploadUrlBody } from '../core/types';
import { DIGEST_BYTES } from './checksums';

/** 400 `INVALID_REQUEST` whose message starts with the offending field. */
export function invalid(field: string, problem: string): ObjectStoreError {
  return new ObjectStoreError('INVALID_REQUEST', `${field}: ${problem}`, { status: 400 });
}

const isAbsent = (value: unknown) => value === undefined || value === null;

export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw invalid('key', 'must be a string.');
  if (key.length === 0) throw invalid('key', 'must not be empty.');
  // A lone surrogate has no UTF-8 form: two such keys would collapse into one.
  if (/\p{Surrogate}/u.test(key)) throw invalid('key', 'must be well-formed UTF-16 (no lone surrogates).');
  return key;
}

export function checkOptionalBoolean(value: unknown, field: string): boolean | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, 'must be a boolean.');
  return value;
}

function checkPositiveSeconds(value: unknown, field: string, max?: number): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number.');
  if (value <= 0) throw invalid(field, 'must be greater than 0.');
  if (max !== undefined && value > max) throw invalid(field, `must be at most ${max}.`);
  return value;
}

export function checkCdnTtl(value: unknown): number | undefined {
  return checkPositiveSeconds(value, 'ttlSeconds', MAX_CDN_TTL_SECONDS);
}

// A header value we can hand back verbatim: visible ASCII and spaces, no CR/LF.
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

export function checkContentType(value: unknown, field = 'contentType'): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string' || !CONTENT_TYPE.test(value))
    throw invalid(field, 'must be a media type of printable ASCII, at most 255 characters.');
  return value;
}

/** An `UploadUrlBody` after validation: the optional fields filled with their defaults. */
export interface CheckedUploadBody {
  key: string;
  length: number;
  checksum: string;
  checksumType: ChecksumType;
  ttlSeconds: number | undefined;
  overwrite: boolean;
  cdn: boolean;
  contentType: string | undefined;
}

export function checkUploadBody(body: unknown, maxObjectSize: number): CheckedUploadBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('body', 'must be a JSON object.');
  const b = body as Partial<Record<keyof UploadUrlBody, unknown>>;
  const key = checkKey(b.key);
  const { length, checksum, checksumType } = b;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
    throw invalid('length', 'must be a non-negative integer number of bytes.');
  if (typeof checksumType !== 'string' || !CHECKSUM_TYPES.includes(checksumType as ChecksumType))
    throw invalid('checksumType', `must be one of ${CHECKSUM_TYPES.join(', ')}.`);
  const type = checksumType as ChecksumType;
  if (
    typeof checksum !== 'string' ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(checksum) ||
    Buffer.from(checksum, 'base64').length !== DIGEST_BYTES[type] ||
    Buffer.from(checksum, 'base64').toString('base64') !== checksum
  )
    throw invalid('checksum', `must be the base64 of the ${DIGEST_BYTES[type]}-byte ${type} digest.`);
  if (length > maxObjectSize)
    throw new ObjectStoreError(
      'OBJECT_TOO_LARGE',
      `length: ${length} bytes exceeds the maximum object size of ${maxObjectSize} bytes.`,
      { status: 413 },
    );
  return {
    key,
    length,
    checksum,
    checksumType: type,
    ttlSeconds: checkPositiveSeconds(b.ttlSeconds, 'ttlSeconds'),
    overwrite: checkOptionalBoolean(b.overwrite, 'overwrite') ?? true,
    cdn: checkOptionalBoolean(b.cdn, 'cdn') ?? false,
    contentType: checkContentType(b.contentType),
  };
}
