// Structural types of the core client as the React layer uses it. They mirror the engine's API
// (issues 5 and 6) so the hooks compile before the engine lands; the real types replace them.
import type { ObjectStoreError } from '../core/errors';
import type { ObjectReference } from '../core/types';

export type UploadStatus =
  | 'queued'
  | 'hashing'
  | 'presigning'
  | 'uploading'
  | 'finalizing'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'paused';

export type DownloadStatus =
  | 'queued'
  | 'presigning'
  | 'downloading'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'paused';

export interface TransferSnapshot<S extends string> {
  status: S;
  loaded: number;
  total: number;
  bytesPerSecond: number;
  etaSeconds?: number | undefined;
  error?: ObjectStoreError | undefined;
}

export interface UploadSnapshot extends TransferSnapshot<UploadStatus> {
  object?: ObjectReference | undefined;
}

export type DownloadSnapshot = TransferSnapshot<DownloadStatus>;

interface Task<Snapshot, Result> {
  readonly id: string;
  readonly key: string;
  readonly done: Promise<Result>;
  cancel(): void;
  pause(): void;
  resume(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): Snapshot;
}

export interface UploadTask extends Task<UploadSnapshot, ObjectReference> {
  /** The file being uploaded, when the engine exposes it. */
  readonly file?: Blob;
  retry(): void;
}

export interface DownloadTask extends Task<DownloadSnapshot, Blob | undefined> {
  retry?(): void;
}

export interface UploadOptions {
  key?: string;
  ttlSeconds?: number;
  overwrite?: boolean;
  cdn?: boolean;
  contentType?: string;
  signal?: AbortSignal;
  skipIfUnchanged?: boolean;
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

export interface ObjectStoreClient {
  upload(file: Blob, options?: UploadOptions): UploadTask;
  download?(key: string, options?: DownloadOptions): DownloadTask;
  readonly uploads: readonly UploadTask[];
  readonly downloads?: readonly DownloadTask[];
  /** Fires when the list of tasks changes. */
  subscribe(listener: () => void): () => void;
  get(key: string, options?: { cdn?: boolean; signal?: AbortSignal }): Promise<ObjectReference | undefined>;
  delete(key: string, options?: { cdn?: boolean; signal?: AbortSignal }): Promise<void>;
}
