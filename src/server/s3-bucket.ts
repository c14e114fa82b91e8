import type { CORSRule, LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { ObjectStoreError } from '../core/errors';
import { fromS3Error } from './s3-errors';
import { loadS3Sdk } from './s3-sdk';

/** Tag the S3 store puts on objects uploaded with `ttlSeconds`: the lifecycle step, in days, that removes them. */
export const TTL_TAG = 'objectdrop-ttl-days';
const TTL_RULE_PREFIX = 'objectdrop-ttl-';
/**
 * Lifecycle expiry counts whole days, and one rule per distinct TTL would not scale: a TTL is
 * rounded up to the next of these steps, so S3 deletes the object at most about 1.5× its TTL
 * (plus the store's own lifecycle delay, up to a day on AWS) after upload. `get` and download URLs
 * treat the object as missing from the exact second its TTL runs out.
 */
export const TTL_DAY_STEPS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 547, 730, 1095, 1825, 3650,
];

/** The step (days) whose lifecycle rule removes an object with this TTL; `undefined` beyond ten years. */
export function ttlDayStep(ttlSeconds: number): number | undefined {
  const days = Math.ceil(ttlSeconds / 86_400);
  return TTL_DAY_STEPS.find((step) => step >= days);
}

/** Request headers a page's PUT may carry: what the S3 store's `createUploadUrl` returns in `headers`. */
export const S3_CORS_ALLOWED_HEADERS: readonly string[] = [
  'content-type',
  'range',
  'if-range',
  'if-match',
  'if-none-match',
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-sha1',
  'x-amz-checksum-sha256',
  'x-amz-sdk-checksum-algorithm',
  'x-amz-meta-*',
  'x-amz-tagging',
];

/** Response headers a page may read: what ranged and verified downloads need. */
export const S3_CORS_EXPOSED_HEADERS: readonly string[] = [
  'ETag',
  'Content-Range',
  'Content-Length',
  'Content-Type',
  'Accept-Ranges',
  'Last-Modified',
  'Retry-After',
  'x-amz-version-id',
  'x-amz-meta-objectdrop-checksum',
  'x-amz-meta-objectdrop-checksum-type',
];

export interface BucketCorsOptions {
  /** How long browsers may cache a preflight answer. Default 3600. */
  maxAgeSeconds?: number;
}

/** The CORS rule `configureBucketCors` installs, for those who manage bucket settings elsewhere (Terraform…). */
export function s3CorsRule(origins: readonly string[], options: BucketCorsOptions = {}): CORSRule {
  if (!Array.isArray(origins) || origins.length === 0 || origins.some((o) => typeof o !== 'string' || !o))
    throw new ObjectStoreError(
      'INVALID_INPUT',
      'origins: give at least one origin, e.g. https://app.example.com',
      {
        retryable: false,
      },
    );
  return {
    ID: 'objectdrop',
    AllowedOrigins: [...origins],
    AllowedMethods: ['PUT', 'GET', 'HEAD'],
    AllowedHeaders: [...S3_CORS_ALLOWED_HEADERS],
    ExposeHeaders: [...S3_CORS_EXPOSED_HEADERS],
    MaxAgeSeconds: options.maxAgeSeconds ?? 3600,
  };
}

/**
 * Lets pages on `origins` PUT to the bucket's pre-signed upload URLs and GET/HEAD ranges of its
 * objects. Replaces the bucket's CORS configuration (S3 keeps one per bucket). Call it for the
 * CDN bucket too when browsers fetch from it directly.
 */
export async function configureBucketCors(
  client: S3Client,
  bucket: string,
  origins: readonly string[],
  options: BucketCorsOptions = {},
): Promise<void> {
  const rule = s3CorsRule(origins, options);
  const { s3 } = await loadS3Sdk();
  try {
    await client.send(
      new s3.PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [rule] } }),
    );
  } catch (error) {
    throw fromS3Error(error, `PutBucketCors ${bucket}`);
  }
}

/** One expiry rule per step of `TTL_DAY_STEPS`, matching the `objectdrop-ttl-days` tag. */
export function ttlLifecycleRules(): LifecycleRule[] {
  return TTL_DAY_STEPS.map((days) => ({
    ID: `${TTL_RULE_PREFIX}${days}d`,
    Status: 'Enabled',
    Filter: { Tag: { Key: TTL_TAG, Value: String(days) } },
    Expiration: { Days: days },
  }));
}

/**
 * Installs the lifecycle rules that delete objects uploaded with `ttlSeconds` (see `TTL_DAY_STEPS`
 * for the granularity), keeping the bucket's other rules. Run it once per bucket (and CDN bucket).
 * Needs `s3:GetLifecycleConfiguration` and `s3:PutLifecycleConfiguration`.
 */
export async function configureTtlLifecycle(client: S3Client, bucket: string): Promise<LifecycleRule[]> {
  const { s3 } = await loadS3Sdk();
  let existing: LifecycleRule[] = [];
  try {
    const current = await client.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    existing = current.Rules ?? [];
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchLifecycleConfiguration')
      throw fromS3Error(error, `GetBucketLifecycleConfiguration ${bucket}`);
  }
  const rules = [...existing.filter((rule) => !rule.ID?.startsWith(TTL_RULE_PREFIX)), ...ttlLifecycleRules()];
  try {
    await client.send(
      new s3.PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: rules },
      }),
    );
  } catch (error) {
    throw fromS3Error(error, `PutBucketLifecycleConfiguration ${bucket}`);
  }
  return rules;
}
