export { checksumOf, crc32, crc32c, createHasher, type Hasher } from './checksums';
export { runCli } from './cli';
export { objectFilePath } from './disk';
export {
  checkFaultPatch,
  createFaultController,
  type FaultController,
  type FaultPatch,
  type FaultSettings,
} from './faults';
export {
  createObjectStoreHandler,
  DEFAULT_CORS_ORIGINS,
  type ObjectStoreHandler,
  type ObjectStoreHandlerOptions,
} from './http-handler';
export { DEFAULT_STORE_LIMITS, type StoreLimits } from './limits';
export {
  createLocalObjectStore,
  type DownloadGrant,
  type LocalObjectStore,
  type LocalObjectStoreOptions,
  type OpenedObject,
  type UploadGrant,
} from './local-store';
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
export { type RunningObjectStore, type StartLocalObjectStoreOptions, startLocalObjectStore } from './start';
export type { ObjectStore } from './store';
