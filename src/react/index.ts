// objectdrop/react: provider, hooks over the core client, and accessible components.
// Default styles: import 'objectdrop/react/styles.css' (optional).
export { type Base64Object, base64ToBlob } from './base64';
export { type ObjectStoreContextValue, useObjectStoreContext } from './context';
export { relativePathOf } from './data-transfer';
export {
  DownloadButton,
  type DownloadButtonProps,
} from './download-button';
export {
  DropZone,
  type DropZoneProps,
  type DropZoneState,
  type UseDropZoneOptions,
  useDropZone,
} from './drop-zone';
export type * from './engine-types';
export { FileCard, type FileCardProps } from './file-card';
export { formatBytes, formatDuration, formatPercent, formatSpeed } from './format';
export { defaultMessages, type Messages, mergeMessages, type ProgressTextParts } from './messages';
export { ProgressBar, type ProgressBarProps } from './progress-bar';
export { ObjectStoreProvider, type ObjectStoreProviderProps } from './provider';
export { metadataKeys } from './query-keys';
export { UploadList, type UploadListProps } from './upload-list';
export {
  type DownloadItem,
  type UseDownloadOptions,
  type UseDownloadResult,
  useDownload,
} from './use-download';
export {
  type DeleteObjectVariables,
  type ObjectMetadataOptions,
  useDeleteObject,
  useObjectMetadata,
} from './use-object-metadata';
export {
  type DownloadObjectResult,
  type ObjectResult,
  type ObjectState,
  type UploadableObject,
  type UploadObjectResult,
  type UseObjectStoreResult,
  useObjectStore,
} from './use-object-store';
export {
  type PerFileUploadOptions,
  type UploadItem,
  type UseUploadOptions,
  type UseUploadResult,
  useUpload,
} from './use-upload';
export {
  type FileError,
  type FileErrorCode,
  type FileRejection,
  type FileRules,
  type ValidationResult,
  validateFiles,
} from './validate-files';
