export {
  checksumTypesFor,
  createDownloadTask,
  DEFAULT_PARALLEL,
  DEFAULT_SEGMENT_SIZE,
  type DownloadDeps,
  parseContentRange,
} from './download-task';
export { createInThreadChecksumSession } from './in-thread-checksum';
export { createRateGate, type RateGate } from './rate-gate';
export type {
  ChecksumSession,
  ChecksumSessionFactory,
  DownloadOptions,
  DownloadSnapshot,
  DownloadStatus,
  DownloadTarget,
  DownloadTask,
} from './types';
