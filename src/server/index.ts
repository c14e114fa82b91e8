export {
  type BucketCorsOptions,
  configureBucketCors,
  configureTtlLifecycle,
  S3_CORS_ALLOWED_HEADERS,
  S3_CORS_EXPOSED_HEADERS,
  s3CorsRule,
  TTL_DAY_STEPS,
  ttlLifecycleRules,
} from './s3-bucket';
export {
  createS3ObjectStore,
  encodeS3Key,
  MAX_S3_PRESIGN_SECONDS,
  type S3ObjectStoreOptions,
} from './s3-store';
export type { ObjectStore } from './store';
