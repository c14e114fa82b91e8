import type { ObjectStoreErrorCode } from '../core/errors';
import type { DownloadStatus, UploadStatus } from './engine-types';

export interface ProgressTextParts {
  /** Formatted, e.g. "34%". */
  percent: string;
  /** Formatted, e.g. "12 MB". */
  loaded: string;
  /** Undefined while the size is unknown. */
  total: string | undefined;
  /** Formatted, e.g. "8 sec"; undefined while unknown. */
  timeLeft: string | undefined;
}

/** Every string the components show or announce. Override any subset through `messages`. */
export interface Messages {
  dropZoneLabel: string;
  dropZoneHint: string;
  dropZoneActive: string;
  chooseFiles: string;
  chooseFolder: string;
  filesAdded: (count: number) => string;
  filesRejected: (count: number) => string;
  rejectionsHeading: string;
  tooLarge: (maxSize: string) => string;
  invalidType: (accept: string) => string;
  tooMany: (maxFiles: number) => string;
  uploadsLabel: string;
  uploadStatus: Record<UploadStatus, string>;
  downloadStatus: Record<DownloadStatus, string>;
  progressText: (parts: ProgressTextParts) => string;
  progressLabel: (name: string) => string;
  /** Readable value of the progress bar while a file is hashed before its upload. */
  hashingText: (percent: string) => string;
  cancel: string;
  cancelFile: (name: string) => string;
  pause: string;
  pauseFile: (name: string) => string;
  resume: string;
  resumeFile: (name: string) => string;
  retry: string;
  retryFile: (name: string) => string;
  remove: string;
  removeFile: (name: string) => string;
  download: string;
  downloadFile: (name: string) => string;
  uploadFinished: (name: string) => string;
  uploadFailed: (name: string, reason: string) => string;
  /** Friendly texts per error code; the error's own message is the fallback. */
  errors: Partial<Record<ObjectStoreErrorCode, string>>;
  unknownType: string;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export const defaultMessages: Messages = {
  dropZoneLabel: 'Upload files',
  dropZoneHint: 'Drag files or folders here, paste them, or',
  dropZoneActive: 'Drop to add',
  chooseFiles: 'Choose files',
  chooseFolder: 'Choose a folder',
  filesAdded: (count) => `${plural(count, 'file', 'files')} added.`,
  filesRejected: (count) => `${plural(count, 'file', 'files')} not added.`,
  rejectionsHeading: 'Not added',
  tooLarge: (maxSize) => `Larger than ${maxSize}.`,
  invalidType: (accept) => `Not an accepted type (${accept}).`,
  tooMany: (maxFiles) => `More than ${plural(maxFiles, 'file', 'files')} at once.`,
  uploadsLabel: 'Uploads',
  uploadStatus: {
    queued: 'Waiting',
    hashing: 'Checking file',
    presigning: 'Preparing',
    uploading: 'Uploading',
    finalizing: 'Finishing',
    done: 'Uploaded',
    failed: 'Failed',
    canceled: 'Canceled',
    paused: 'Paused',
  },
  downloadStatus: {
    queued: 'Waiting',
    presigning: 'Preparing',
    downloading: 'Downloading',
    verifying: 'Verifying',
    done: 'Downloaded',
    failed: 'Failed',
    canceled: 'Canceled',
    paused: 'Paused',
  },
  progressText: ({ percent, loaded, total, timeLeft }) =>
    total === undefined ? loaded : `${percent}, ${loaded} of ${total}${timeLeft ? `, ${timeLeft} left` : ''}`,
  progressLabel: (name) => `Progress of ${name}`,
  hashingText: (percent) => `Checking file, ${percent}`,
  cancel: 'Cancel',
  cancelFile: (name) => `Cancel ${name}`,
  pause: 'Pause',
  pauseFile: (name) => `Pause ${name}`,
  resume: 'Resume',
  resumeFile: (name) => `Resume ${name}`,
  retry: 'Retry',
  retryFile: (name) => `Retry ${name}`,
  remove: 'Remove',
  removeFile: (name) => `Remove ${name}`,
  download: 'Download',
  downloadFile: (name) => `Download ${name}`,
  uploadFinished: (name) => `${name} uploaded.`,
  uploadFailed: (name, reason) => `${name} failed: ${reason}`,
  errors: {
    TOO_MANY_REQUESTS: 'The store is busy; try again shortly.',
    CHECKSUM_MISMATCH: 'The stored bytes did not match the file.',
    URL_EXPIRED: 'The upload link expired.',
    NETWORK: 'The connection dropped.',
    OBJECT_TOO_LARGE: 'The file is too large for the store.',
    OBJECT_EXISTS: 'A file with this name already exists.',
    OBJECT_CHANGED: 'The file changed on the server during the download.',
    NOT_FOUND: 'The file no longer exists.',
  },
  unknownType: 'Unknown type',
};

/** Defaults, then the provider's overrides, then the component's. */
export function mergeMessages(...layers: (Partial<Messages> | undefined)[]): Messages {
  let merged = defaultMessages;
  for (const layer of layers) {
    if (!layer) continue;
    merged = {
      ...merged,
      ...layer,
      uploadStatus: { ...merged.uploadStatus, ...layer.uploadStatus },
      downloadStatus: { ...merged.downloadStatus, ...layer.downloadStatus },
      errors: { ...merged.errors, ...layer.errors },
    };
  }
  return merged;
}

export function errorText(messages: Messages, error: { code?: string; message: string } | undefined): string {
  if (!error) return '';
  const friendly = error.code ? messages.errors[error.code as ObjectStoreErrorCode] : undefined;
  return friendly ?? error.message;
}
