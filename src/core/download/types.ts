import type { ChecksumSession } from '../../checksum';
import type { ObjectStoreError } from '../errors';
import type { ChecksumType } from '../types';

export type DownloadStatus =
  | 'queued'
  | 'presigning'
  | 'downloading'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'canceled'
  | 'paused';

/** Where the bytes go. */
export type DownloadTarget = 'blob' | 'file' | FileSystemFileHandle | WritableStream<Uint8Array>;

export interface DownloadOptions {
  /** Read from the CDN bucket. Default `false`. */
  cdn?: boolean;
  /**
   * Where to write. Default `'blob'`: `done` resolves with a Blob of the object (held in memory).
   * `'file'`: asks the user where to save with `showSaveFilePicker`, stages the download in the
   * origin-private file system (needs free quota for a copy) and copies it into the chosen file once it is
   * complete and checked, so the file keeps its old content until then; where the browser has no picker
   * (Firefox, Safari), falls back to collecting a Blob and clicking a download link at the end (the whole
   * object is held in memory, the browser shows the download only once complete, and a failed verification
   * means no file at all).
   * A `FileSystemFileHandle` is written in place when it is origin-private (sized to the object before the first
   * GET, its old bytes overwritten, emptied if the download fails), else as `'file'` writes.
   * A `WritableStream` receives the bytes strictly in order.
   */
  to?: DownloadTarget;
  /** Name suggested by the save picker or the download link. Default: the last `/` part of the key. */
  fileName?: string;
  /**
   * Bytes per ranged request. Default `8 MiB`; when left unset and nothing needs the bytes in order in memory,
   * larger, since each request costs the browser a ramp-up: an OPFS file, checked or not, is fetched in
   * `parallel` equal ranges; another file handle with `verify: false` in `parallel` ranges of up to 64 MiB.
   */
  segmentSize?: number;
  /**
   * Ranged requests in flight at once. Default `4`. Into a file the download's worker writes (an origin-private
   * `FileSystemFileHandle`, or `'file'`), with `parallel` and `segmentSize` both left unset: one at first, and
   * one more (up to 4) whenever the worker waits for the network: a body the worker cannot write as fast as it
   * arrives is held in the page's memory by the browser. Once every range is taken, a request that opens or
   * ends takes the second half of the largest range under way (pieces of at least 32 MiB), so none waits
   * idle while one finishes a long range alone. Set `parallel` to have that many from the start, no splits.
   */
  parallel?: number;
  /** Compare the object's checksum, computed over the bytes as they arrive, with its metadata. Default `true`. */
  verify?: boolean;
  /** Aborting it cancels the download. */
  signal?: AbortSignal;
  /**
   * What to do when the object is replaced mid-way: `'fail'` with `OBJECT_CHANGED`, or `'restart'`
   * from the new version's first byte (at most 3 times). Two versions are never spliced. Default `'fail'`.
   */
  onObjectChanged?: 'fail' | 'restart';
}

export interface DownloadSnapshot {
  status: DownloadStatus;
  /** Bytes received and handed to the target. */
  loaded: number;
  /** Size of the object, once its metadata is known; `0` before. */
  total: number;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  /** Body bytes read from the network, the re-fetched and skipped ones included. */
  fetched: number;
  error?: ObjectStoreError;
}

export interface DownloadTask {
  readonly id: string;
  readonly key: string;
  /** A Blob for `to: 'blob'`; `undefined` once written for the other targets. Rejects with `ObjectStoreError`. */
  readonly done: Promise<Blob | undefined>;
  cancel(): void;
  /** Aborts the requests in flight; `resume()` continues from the bytes already received. */
  pause(): void;
  resume(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): DownloadSnapshot;
}

export type ChecksumSessionFactory = (
  type: ChecksumType,
  options: { signal?: AbortSignal },
) => ChecksumSession;
