import { ObjectStoreError } from './errors';
import { MAX_OBJECT_SIZE, MAX_REQUEST_PAYLOAD_BYTES } from './limits';
import { CHECKSUM_TYPES, type ChecksumType, type UploadUrlBody } from './types';

/** Length of the base64 digest each algorithm produces, to size the presign request before hashing. */
const BASE64_DIGEST_LENGTH: Record<ChecksumType, number> = { SHA1: 28, SHA256: 44, CRC32: 8, CRC32C: 8 };

// What the store keeps and hands back verbatim as a header: visible ASCII and spaces, no CR/LF.
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

function invalid(message: string): ObjectStoreError {
  return new ObjectStoreError('INVALID_INPUT', message, { retryable: false });
}

export function isBlob(value: unknown): value is Blob {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Blob).size === 'number' &&
    typeof (value as Blob).slice === 'function'
  );
}

export function assertChecksumType(value: unknown): asserts value is ChecksumType {
  if (!CHECKSUM_TYPES.includes(value as ChecksumType))
    throw invalid(`checksumType must be one of ${CHECKSUM_TYPES.join(', ')}; got ${String(value)}.`);
}

export function assertPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw invalid(`${name} must be a positive integer; got ${String(value)}.`);
}

export interface UploadRequestInput {
  key: unknown;
  ttlSeconds?: unknown;
  overwrite?: unknown;
  cdn?: unknown;
  contentType?: unknown;
}

/**
 * Everything that can be known wrong before the first byte is hashed or sent: the file, the key,
 * the options, the size limit and the 1 kB presign payload (sized with a placeholder digest of
 * the algorithm's exact length). Returns the presign body without its checksum.
 */
export function validateUpload(
  file: unknown,
  input: UploadRequestInput,
  limits: { checksumType: ChecksumType; maxObjectSize?: number },
): Omit<UploadUrlBody, 'checksum'> {
  if (!isBlob(file)) throw invalid('upload() needs a Blob or File.');
  const { key, ttlSeconds, overwrite, cdn, contentType } = input;
  if (typeof key !== 'string' || key.length === 0) throw invalid('The key must be a non-empty string.');
  // A lone surrogate has no UTF-8 form: the store refuses such keys.
  if (/\p{Surrogate}/u.test(key)) throw invalid('The key must be well-formed UTF-16 (no lone surrogates).');
  if (
    ttlSeconds !== undefined &&
    (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0)
  )
    throw invalid(`ttlSeconds must be a number of seconds greater than 0; got ${String(ttlSeconds)}.`);
  if (overwrite !== undefined && typeof overwrite !== 'boolean')
    throw invalid('overwrite must be a boolean.');
  if (cdn !== undefined && typeof cdn !== 'boolean') throw invalid('cdn must be a boolean.');
  if (contentType !== undefined && (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType)))
    throw invalid('contentType must be a media type of printable ASCII, at most 255 characters.');
  const maxObjectSize = limits.maxObjectSize ?? MAX_OBJECT_SIZE;
  if (file.size > maxObjectSize)
    throw new ObjectStoreError(
      'OBJECT_TOO_LARGE',
      `The file is ${file.size} bytes; objects may be at most ${maxObjectSize} bytes.`,
      { retryable: false },
    );
  const body: Omit<UploadUrlBody, 'checksum'> = {
    key,
    length: file.size,
    checksumType: limits.checksumType,
    ...(ttlSeconds === undefined ? {} : { ttlSeconds: ttlSeconds as number }),
    ...(overwrite === undefined ? {} : { overwrite }),
    ...(cdn === undefined ? {} : { cdn }),
    ...(contentType !== undefined
      ? { contentType: contentType as string }
      : CONTENT_TYPE.test(file.type)
        ? { contentType: file.type }
        : {}),
  };
  const placeholder = 'A'.repeat(BASE64_DIGEST_LENGTH[limits.checksumType]);
  const bytes = new TextEncoder().encode(JSON.stringify({ ...body, checksum: placeholder })).length;
  if (bytes > MAX_REQUEST_PAYLOAD_BYTES)
    throw new ObjectStoreError(
      'PAYLOAD_TOO_LARGE',
      `The upload request would be ${bytes} bytes; the store accepts at most ${MAX_REQUEST_PAYLOAD_BYTES}. Use a shorter key or content type.`,
      { retryable: false },
    );
  return body;
}
