import { ObjectStoreError } from '../core/errors';
import { MAX_CDN_TTL_SECONDS } from '../core/limits';
import {
  invalidRequest,
  parseContentType,
  parseKey,
  parseOptionalBoolean,
  parseOptionalSeconds,
  parseUploadUrlBody,
} from '../core/request-validation';
import type { ChecksumType } from '../core/types';

// The server's names for the request checks every server side shares (src/core/request-validation):
// the local store, the S3 store and the HTTP handler answer bad input exactly as the memory store
// and the Forge resolvers do.

/** 400 `INVALID_REQUEST` whose message starts with the offending field. */
export const invalid = invalidRequest;
export const checkKey = parseKey;
export const checkOptionalBoolean = parseOptionalBoolean;
export const checkContentType = parseContentType;

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

export function checkUploadBody(body: unknown, maxObjectSize: number): CheckedUploadBody {
  const checked = parseUploadUrlBody(body);
  if (checked.length > maxObjectSize)
    throw new ObjectStoreError(
      'OBJECT_TOO_LARGE',
      `length: ${checked.length} bytes exceeds the maximum object size of ${maxObjectSize} bytes.`,
      { status: 413 },
    );
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
