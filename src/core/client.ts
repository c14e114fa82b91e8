import { callBackend, createEngineContext, type EngineContext, type Hasher } from './context';
import { downloadOnDemand } from './download/on-demand';
import type { DownloadOptions, DownloadSnapshot, DownloadTask } from './download/types';
import { isObjectStoreError, ObjectStoreError } from './errors';
import { keyForUpload } from './keys';
import { PRESIGNED_URL_TTL_SECONDS } from './limits';
import { loadOnce } from './load-once';
import type { RetryOptions, RetryPolicy } from './retry';
import { createTaskList } from './task-list';
import type { Transport } from './transport/types';
import type {
  BucketOptions,
  CdnUrlOptions,
  ChecksumType,
  ObjectReference,
  ObjectStoreBackend,
  PresignedUrlResponse,
  UploadUrlBody,
} from './types';
import type { UploadSlots } from './upload/pipeline';
import { createSlots } from './upload/slots';
import type { UploadSnapshot } from './upload/state';
import { type UploadTask, UploadTaskImpl } from './upload/task';
import { assertChecksumType, assertPositiveInteger, isBlob, validateUpload } from './validate';

export interface ObjectStoreClientOptions {
  /** Hands out pre-signed URLs: `createHttpBackend`, `createForgeBackend`, `createMemoryBackend` or your own. */
  backend: ObjectStoreBackend;
  /** Digest sent with every upload and checked after it. Default `'SHA256'`. */
  checksumType?: ChecksumType;
  /** PUTs in flight at once. Default `4`. */
  concurrency?: number;
  /** Larger files fail with `OBJECT_TOO_LARGE` before any request. Default 1 GiB (the store's limit). */
  maxObjectSize?: number;
  /** Retry policy options, or a policy of your own. Default: 6 attempts, 500 ms doubling to 30 s, full jitter. */
  retry?: RetryOptions | RetryPolicy;
  /** Sends requests to pre-signed URLs. Default: the backend's own, else XHR for uploads and fetch otherwise. */
  transport?: Transport;
  /** Key of an upload given no `key`. Default `defaultKeyFor`: `<uuid>/<file name>`. */
  keyFor?: (file: Blob) => string;
  /** Computes checksums. Default: `computeChecksum`, hashing in a pool of Web Workers. */
  hasher?: Hasher;
  /** How long a fresh pre-signed URL is trusted before a PUT. Default 3600 s (the seed's lifetime). */
  urlLifetimeSeconds?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export interface UploadOptions {
  /** Object key. Default: the client's `keyFor(file)`. */
  key?: string;
  /** Seconds after which the store deletes the object. Default: kept. */
  ttlSeconds?: number;
  /** Replace an object with the same key. Default `true` (the store's default). */
  overwrite?: boolean;
  /** Store in the CDN bucket. Default `false`. */
  cdn?: boolean;
  /** Stored with the object and returned on download. Default `file.type`, else `application/octet-stream`. */
  contentType?: string;
  /** Aborting it cancels the upload. */
  signal?: AbortSignal;
  /** If the store already holds these exact bytes (same checksum and size) at `key`, finish without sending. Default `false`. */
  skipIfUnchanged?: boolean;
}

export interface ObjectStoreClient {
  /**
   * Queues the file: validate → hash → presign → PUT → confirm. Input found wrong before any
   * request (`OBJECT_TOO_LARGE`, `PAYLOAD_TOO_LARGE`, `INVALID_INPUT`) gives a task that is already
   * `failed`, so a UI lists it with its reason; only a non-Blob `file` throws.
   */
  upload(file: Blob, options?: UploadOptions): UploadTask;
  /** Tasks in the order they were added. A new array whenever the list changes. */
  readonly uploads: readonly UploadTask[];
  /**
   * Starts a ranged, parallel, resumable, verified download of `key` (see `DownloadOptions`), sharing
   * this client's transport, retry policy and 429 gate. Bad options throw `INVALID_INPUT` at once;
   * everything later rejects `task.done` with an `ObjectStoreError`.
   *
   * ```ts
   * const task = client.download('reports/q3.pdf', { to: 'file' });
   * task.subscribe(() => render(task.getSnapshot())); // status, loaded/total, bytesPerSecond, etaSeconds
   * await task.done;
   * ```
   */
  download(key: string, options?: DownloadOptions): DownloadTask;
  /** Downloads in the order they were started. A new array whenever the list changes. */
  readonly downloads: readonly DownloadTask[];
  /** Called on every change of either list or of any task in them. */
  subscribe(listener: () => void): () => void;
  /** Snapshots of `uploads`: the same array until something changes (for `useSyncExternalStore`). */
  getSnapshot(): readonly UploadSnapshot[];
  /** Snapshots of `downloads`: the same array until something changes. */
  getDownloadsSnapshot(): readonly DownloadSnapshot[];
  /** Drops finished tasks (done, failed, canceled) from both lists. */
  clearFinished(): void;
  /**
   * A pre-signed GET URL for a plain `<a href>` (no progress, no check), or `undefined` when there is
   * no such object. It lives as long as the backend's URLs (an hour for the Object Store).
   */
  createDownloadUrl(key: string, options?: BucketOptions): Promise<string | undefined>;
  /**
   * A CDN URL of an object in the CDN bucket, or `undefined` when there is none. Fails with
   * `INVALID_INPUT` when the backend has no CDN URLs.
   */
  createCDNUrl(key: string, options?: CdnUrlOptions): Promise<string | undefined>;
  /** Metadata of a stored object, or `undefined`; with the client's retry and error mapping. */
  get(key: string, options?: BucketOptions): Promise<ObjectReference | undefined>;
  delete(key: string, options?: BucketOptions): Promise<void>;
  /** What every operation of this client shares (for the download engine and adapters). @internal */
  readonly context: EngineContext;
}

let nextTaskId = 0;

/** Files hashed ahead of the transfers, per transfer slot, when the backend presigns in batches. */
const LOOK_AHEAD_WITH_BATCHES = 8;

/** `computeChecksum` with its worker pool and CRC math: loaded with the first upload, not with the page. */
// One import() for all uploads: 200 files queued at once each paid for their own.
const loadHasher = loadOnce(() => import('../checksum/compute'));
const hashOnDemand: Hasher = (blob, type, hashOptions) =>
  loadHasher().then(({ computeChecksum }) => computeChecksum(blob, type, hashOptions));

/**
 * A client for one backend: an upload queue with bounded concurrency, one retry policy and one
 * rate-limit gate shared by every request it makes.
 *
 * ```ts
 * const client = createObjectStore({ backend: createHttpBackend({ baseUrl: '/files' }) });
 * const task = client.upload(file, { ttlSeconds: 86_400 });
 * task.subscribe(() => render(task.getSnapshot())); // status, loaded/total, bytesPerSecond, etaSeconds
 * const object = await task.done; // { key, checksum, size, … } checked against the store after the PUT
 * ```
 */
export function createObjectStore(options: ObjectStoreClientOptions): ObjectStoreClient {
  const checksumType = options.checksumType ?? 'SHA256';
  const concurrency = options.concurrency ?? 4;
  assertChecksumType(checksumType);
  assertPositiveInteger('concurrency', concurrency);
  if (options.maxObjectSize !== undefined) assertPositiveInteger('maxObjectSize', options.maxObjectSize);
  const context = createEngineContext({
    backend: options.backend,
    transport: options.transport,
    retry: options.retry,
    hasher: options.hasher ?? hashOnDemand,
    now: options.now,
    urlLifetimeMs: (options.urlLifetimeSeconds ?? PRESIGNED_URL_TTL_SECONDS) * 1000,
  });
  const { createUploadUrls } = context.backend;
  // The presigner itself loads with the upload pipeline (see `UploadBatches`), not with the page.
  const batches = createUploadUrls
    ? { createUploadUrls: createUploadUrls.bind(context.backend), ahead: concurrency }
    : undefined;
  const slots: UploadSlots = {
    // Batches need files hashed and waiting to batch: a longer look-ahead (checksums only; the
    // hashing itself is still bounded by the worker pool), refilled half at a time so the checksum
    // pool gets small files in groups it reads as one.
    prepare: batches
      ? createSlots(concurrency * LOOK_AHEAD_WITH_BATCHES, (concurrency * LOOK_AHEAD_WITH_BATCHES) / 2)
      : createSlots(concurrency),
    transfer: createSlots(concurrency),
    batches,
  };
  const list = createTaskList<UploadTask, UploadSnapshot>();
  const downloads = createTaskList<DownloadTask, DownloadSnapshot>();
  const urlOf = (response: PresignedUrlResponse | undefined) => response?.url;

  return {
    upload(file, uploadOptions = {}) {
      if (!isBlob(file)) throw new ObjectStoreError('INVALID_INPUT', 'upload() needs a Blob or File.');
      let key: string = uploadOptions.key ?? '';
      let request: Omit<UploadUrlBody, 'checksum'> = { key, length: file.size, checksumType };
      let invalid: ObjectStoreError | undefined;
      try {
        key = uploadOptions.key ?? keyForUpload(file, options.keyFor);
        request = validateUpload(
          file,
          { ...uploadOptions, key },
          { checksumType, maxObjectSize: options.maxObjectSize },
        );
      } catch (error) {
        invalid = isObjectStoreError(error)
          ? error
          : new ObjectStoreError('INVALID_INPUT', 'keyFor(file) threw.', { cause: error, retryable: false });
        request = { ...request, key: typeof key === 'string' ? key : '' };
      }
      nextTaskId += 1;
      const task = new UploadTaskImpl(
        {
          id: `upload-${nextTaskId}`,
          file,
          request,
          skipIfUnchanged: uploadOptions.skipIfUnchanged ?? false,
          signal: uploadOptions.signal,
          invalid,
        },
        context,
        slots,
      );
      list.add(task);
      // Fetched beside the upload pipeline the task loads, rather than after it.
      if (context.hasher === hashOnDemand) loadHasher().catch(() => {});
      task.start();
      return task;
    },
    get uploads() {
      return list.tasks;
    },
    download(key, downloadOptions = {}) {
      const task = downloadOnDemand(context, key, downloadOptions);
      downloads.add(task);
      return task;
    },
    get downloads() {
      return downloads.tasks;
    },
    subscribe(listener) {
      const offUploads = list.subscribe(listener);
      const offDownloads = downloads.subscribe(listener);
      return () => {
        offUploads();
        offDownloads();
      };
    },
    getSnapshot: list.getSnapshot,
    getDownloadsSnapshot: downloads.getSnapshot,
    clearFinished() {
      list.clearFinished();
      downloads.clearFinished();
    },
    createDownloadUrl: (key, request = {}) =>
      callBackend(
        context,
        `createDownloadUrl("${key}")`,
        (signal) => context.backend.createDownloadUrl(key, { ...request, signal }),
        { signal: request.signal },
      ).then(urlOf),
    createCDNUrl(key, request = {}) {
      const { backend } = context;
      if (!backend.createCDNUrl)
        return Promise.reject(
          new ObjectStoreError('INVALID_INPUT', 'This backend has no CDN URLs.', { retryable: false }),
        );
      return callBackend(
        context,
        `createCDNUrl("${key}")`,
        (signal) => backend.createCDNUrl!(key, { ...request, signal }),
        { signal: request.signal },
      ).then(urlOf);
    },
    get: (key, request = {}) =>
      callBackend(context, `get("${key}")`, (signal) => context.backend.get(key, { ...request, signal }), {
        signal: request.signal,
      }),
    delete: (key, request = {}) =>
      callBackend(
        context,
        `delete("${key}")`,
        (signal) => context.backend.delete(key, { ...request, signal }),
        {
          signal: request.signal,
        },
      ),
    context,
  };
}
