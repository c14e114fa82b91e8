// Types of the core client as the React layer uses it: the engine's own.
import type { ObjectStoreClient as CoreClient } from '../core/client';
import type { DownloadOptions, DownloadSnapshot, DownloadStatus, DownloadTask } from '../core/download/types';
import type { ObjectStoreError } from '../core/errors';
import type { UploadSnapshot, UploadStatus } from '../core/upload/state';
import type { UploadTask } from '../core/upload/task';

export type { UploadOptions } from '../core/client';
export type {
  DownloadOptions,
  DownloadSnapshot,
  DownloadStatus,
  DownloadTask,
  UploadSnapshot,
  UploadStatus,
  UploadTask,
};

/** What the React layer reads from any transfer snapshot, upload or download. */
export interface TransferSnapshot<S extends string> {
  status: S;
  loaded: number;
  /** Unknown (undefined) for a download until its metadata arrives. */
  total: number | undefined;
  bytesPerSecond: number;
  etaSeconds?: number | undefined;
  error?: ObjectStoreError | undefined;
}

/** The part of the core client the hooks use: any object of this shape will do (tests, fixtures). */
export type ObjectStoreClient = Pick<
  CoreClient,
  'upload' | 'uploads' | 'download' | 'downloads' | 'subscribe' | 'get' | 'delete' | 'clearFinished'
>;
