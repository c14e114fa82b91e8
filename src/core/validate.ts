import { ObjectStoreError } from './errors';
import { CONTENT_TYPE_PATTERN, DIGEST_BYTES, MAX_OBJECT_SIZE, MAX_REQUEST_PAYLOAD_BYTES } from './limits';
import { CHECKSUM_TYPES, type ChecksumType, type UploadUrlBody } from './types';

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
  if (
    contentType !== undefined &&
    (typeof contentType !== 'string' || !CONTENT_TYPE_PATTERN.test(contentType))
  )
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
      : CONTENT_TYPE_PATTERN.test(file.type)
        ? { contentType: file.type }
        : {}),
  };
  const placeholder = 'A'.repeat(4 * Math.ceil(DIGEST_BYTES[limits.checksumType] / 3));
  const bytes = new TextEncoder().encode(JSON.stringify({ ...body, checksum: placeholder })).length;
  if (bytes > MAX_REQUEST_PAYLOAD_BYTES)
    throw new ObjectStoreError(
      'PAYLOAD_TOO_LARGE',
      `The upload request would be ${bytes} bytes; the store accepts at most ${MAX_REQUEST_PAYLOAD_BYTES}. Use a shorter key or content type.`,
      { retryable: false },
    );
  return body;
}
