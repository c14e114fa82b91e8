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
export { type RunningObjectStore, type StartLocalObjectStoreOptions, startLocalObjectStore } from './start';
export type { ObjectStore } from './store';
