// Tasks frozen in one state, so a story can show any state of a component exactly and forever.
// The live stories use the real engine over the in-memory backend instead.
import type { ReactNode } from 'react';
import { ObjectStoreError, type ObjectStoreErrorCode } from '../../src/core/errors';
import type {
  DownloadSnapshot,
  DownloadTask,
  ObjectStoreClient,
  UploadSnapshot,
  UploadTask,
} from '../../src/react/engine-types';
import { ObjectStoreProvider } from '../../src/react/provider';

const MB = 1_000_000;

export interface FrozenUpload {
  name: string;
  type?: string;
  size: number;
  status: UploadSnapshot['status'];
  /** Fraction sent, 0–1. */
  sent?: number;
  /** Fraction hashed, 0–1. */
  hashed?: number;
  bytesPerSecond?: number;
  error?: ObjectStoreErrorCode;
  /** The engine is waiting to retry after this error. */
  retrying?: ObjectStoreErrorCode;
}

let nextId = 0;

const noop = () => {};
const never = new Promise<never>(() => {});

/** The controls of a task that never moves: they do nothing, and `done` never settles. */
function frozenTask<S>(id: string, key: string, snapshot: S) {
  return {
    id,
    key,
    done: never,
    cancel: noop,
    pause: noop,
    resume: noop,
    subscribe: () => noop,
    getSnapshot: () => snapshot,
  };
}

export function frozenUpload(init: FrozenUpload): UploadTask {
  nextId += 1;
  const { name, size, status } = init;
  const loaded = Math.round((status === 'done' ? 1 : (init.sent ?? 0)) * size);
  const bytesPerSecond = init.bytesPerSecond ?? (status === 'uploading' ? 2.5 * MB : 0);
  const error = init.error ? new ObjectStoreError(init.error, init.error) : undefined;
  const snapshot: UploadSnapshot = {
    id: `frozen-${nextId}`,
    key: `${nextId}/${name}`,
    file: new File([], name, { type: init.type ?? 'application/octet-stream' }),
    name,
    status,
    loaded,
    total: size,
    hashed: Math.round((init.hashed ?? (status === 'hashing' ? 0 : 1)) * size),
    bytesPerSecond,
    etaSeconds: bytesPerSecond > 0 ? (size - loaded) / bytesPerSecond : undefined,
    attempts: 1,
    ...(init.retrying
      ? { retry: { at: Date.now() + 2000, error: new ObjectStoreError(init.retrying, init.retrying) } }
      : {}),
    ...(error ? { error } : {}),
    ...(status === 'done' ? { object: { key: `${nextId}/${name}`, checksum: 'frozen', size } } : {}),
  };
  return { ...frozenTask(snapshot.id, snapshot.key, snapshot), file: snapshot.file, retry: noop };
}

export function frozenDownload(
  snapshot: Partial<DownloadSnapshot> & Pick<DownloadSnapshot, 'status'>,
): DownloadTask {
  nextId += 1;
  const full: DownloadSnapshot = {
    loaded: 0,
    total: 0,
    bytesPerSecond: 0,
    etaSeconds: undefined,
    ...snapshot,
    fetched: snapshot.fetched ?? snapshot.loaded ?? 0,
  };
  return frozenTask(`frozen-${nextId}`, 'frozen', full);
}

/** A client that lists the given tasks and starts nothing. */
export function frozenClient(uploads: UploadTask[] = [], download?: DownloadTask): ObjectStoreClient {
  return {
    uploads,
    downloads: download ? [download] : [],
    upload: () => {
      throw new ObjectStoreError('INVALID_INPUT', 'This story shows fixed states.');
    },
    download: () => download ?? frozenDownload({ status: 'queued' }),
    subscribe: () => noop,
    clearFinished: noop,
    get: async () => undefined,
    delete: async () => {},
  };
}

export function Frozen({
  uploads,
  download,
  children,
}: {
  uploads?: UploadTask[];
  download?: DownloadTask;
  children: ReactNode;
}) {
  return <ObjectStoreProvider client={frozenClient(uploads, download)}>{children}</ObjectStoreProvider>;
}

export const sizes = { MB };
