// Types of the core client as the React layer uses it. Uploads are the engine's own types; the
// download side stays structural (issue 6) until the download engine lands on main.
import type { ObjectStoreClient as CoreClient } from '../core/client';
import type { ObjectStoreError } from '../core/errors';
import type { UploadSnapshot, UploadStatus } from '../core/upload/state';
import type { UploadTask } from '../core/upload/task';

export type { UploadOptions } from '../core/client';
export type { UploadSnapshot, UploadStatus, UploadTask };

export type DownloadStatus =
  | 'queued'
  | 'presigning'
  | 'downloading'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'paused';

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

export type DownloadSnapshot = TransferSnapshot<DownloadStatus>;

export interface DownloadTask {
  readonly id: string;
  readonly key: string;
  readonly done: Promise<Blob | undefined>;
  cancel(): void;
  pause(): void;
  resume(): void;
  retry?(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): DownloadSnapshot;
}

export interface DownloadOptions {
  cdn?: boolean;
  to?: 'blob' | 'file' | FileSystemFileHandle | WritableStream<Uint8Array>;
  fileName?: string;
  segmentSize?: number;
  parallel?: number;
  verify?: boolean;
  signal?: AbortSignal;
}

/** The part of the core client the hooks use, plus the download engine where present. */
export interface ObjectStoreClient
  extends Pick<CoreClient, 'upload' | 'uploads' | 'subscribe' | 'get' | 'delete'> {
  clearFinished?(): void;
  download?(key: string, options?: DownloadOptions): DownloadTask;
  readonly downloads?: readonly DownloadTask[];
}
