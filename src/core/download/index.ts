export {
  checksumTypesFor,
  createDownloadTask,
  DEFAULT_PARALLEL,
  DEFAULT_SEGMENT_SIZE,
  type DownloadDeps,
  parseContentRange,
} from './download-task';
export type {
  ChecksumSessionFactory,
  DownloadOptions,
  DownloadSnapshot,
  DownloadStatus,
  DownloadTarget,
  DownloadTask,
} from './types';
