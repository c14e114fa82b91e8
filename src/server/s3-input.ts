import { MAX_OBJECT_SIZE } from '../core/limits';
import { invalidRequest, parseKey } from '../core/request-validation';
import { type CheckedUploadBody, checkUploadBody } from './validate';

const S3_MAX_KEY_BYTES = 1024;

/** The local store's key rules, plus what S3 URLs cannot carry. */
export function checkS3Key(value: unknown): string {
  const key = parseKey(value);
  if (Buffer.byteLength(key) > S3_MAX_KEY_BYTES)
    throw invalidRequest('key', `must be at most ${S3_MAX_KEY_BYTES} bytes of UTF-8 (S3's limit).`);
  // URL parsers fold "." and ".." path segments (even percent-encoded), so such a key has no URL.
  if (key.split('/').some((segment) => segment === '.' || segment === '..'))
    throw invalidRequest('key', 'must not contain "." or ".." path segments: S3 URLs cannot address them.');
  return key;
}

/** The local store's `UploadUrlBody` rules (1 GiB objects), plus S3's key rules. */
export function checkS3UploadBody(body: unknown): CheckedUploadBody {
  const checked = checkUploadBody(body, MAX_OBJECT_SIZE);
  checkS3Key(checked.key);
  return checked;
}
