import { ObjectStoreError } from '../core/errors';
import { MAX_CDN_TTL_SECONDS } from '../core/limits';
import { parseOptionalSeconds, parseUploadUrlBody } from '../core/request-validation';
import type { ChecksumType, UploadUrlBody } from '../core/types';

// What the server adds to the request checks every server side shares (src/core/request-validation):
// its configurable object size limit and the defaults the stores fill in.

export function checkCdnTtl(value: unknown): number | undefined {
  return parseOptionalSeconds(value, 'ttlSeconds', MAX_CDN_TTL_SECONDS);
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

/** `UploadUrlBody`, checked field by field, of at most `maxObjectSize` bytes (else 413). */
export function checkUploadRequest(body: unknown, maxObjectSize: number): UploadUrlBody {
  const checked = parseUploadUrlBody(body);
  if (checked.length > maxObjectSize)
    throw new ObjectStoreError(
      'OBJECT_TOO_LARGE',
      `length: ${checked.length} bytes exceeds the maximum object size of ${maxObjectSize} bytes.`,
      { status: 413 },
    );
  return checked;
}

export function checkUploadBody(body: unknown, maxObjectSize: number): CheckedUploadBody {
  const checked = checkUploadRequest(body, maxObjectSize);
  return {
    key: checked.key,
    length: checked.length,
    checksum: checked.checksum,
    checksumType: checked.checksumType,
    ttlSeconds: checked.ttlSeconds,
    overwrite: checked.overwrite ?? true,
    cdn: checked.cdn ?? false,
    contentType: checked.contentType,
  };
}
