export { createHttpBackend, type HttpBackendOptions } from '../adapters/http-backend';
export {
  CHUNK_SIZE,
  type ChecksumConfig,
  type ChecksumSession,
  type ChecksumSessionOptions,
  type ComputeChecksumOptions,
  combineCrc,
  computeChecksum,
  configureChecksums,
  crcFromBase64,
  crcToBase64,
  createChecksumSession,
} from '../checksum';
export {
  createObjectStore,
  type ObjectStoreClient,
  type ObjectStoreClientOptions,
  type UploadOptions,
} from './client';
export type { EngineContext, Hasher, HashOptions } from './context';
export * from './download';
export { abortError, isObjectStoreError, ObjectStoreError, type ObjectStoreErrorCode } from './errors';
export type { FaultPatch, FaultSettings } from './faults';
export { errorFromResponse, parseRetryAfter } from './http-errors';
export { defaultKeyFor } from './keys';
export * from './limits';
export type { RateGate } from './rate-gate';
export { createRetryPolicy, type RetryOptions, type RetryPolicy } from './retry';
export { createFetchTransport } from './transport/fetch-transport';
export type { Transport, TransportRequest, TransportResponse } from './transport/types';
export { createDefaultTransport } from './transport/xhr-transport';
export * from './types';
export type { UploadSnapshot, UploadStatus } from './upload/state';
export type { UploadTask } from './upload/task';
