import type { ObjectStoreError } from '../errors';
import type { ObjectReference } from '../types';

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

/** One upload at one moment. Immutable: every change makes a new object, so `===` tells change. */
export interface UploadSnapshot {
  readonly id: string;
  readonly key: string;
  readonly file: Blob;
  /** The file's name (`File.name`), or the key for a plain Blob. */
  readonly name: string;
  readonly status: UploadStatus;
  /** Bytes handed to the network in the current attempt. Reaching `total` means `finalizing`, not done. */
  readonly loaded: number;
  readonly total: number;
  /** Bytes hashed so far (the checksum is needed before the first byte is sent). */
  readonly hashed: number;
  /** Base64 digest of the file, once hashed. */
  readonly checksum?: string;
  /** Over the last few seconds of the transfer; 0 while unknown. */
  readonly bytesPerSecond: number;
  /** Seconds left at the current speed; undefined while the speed is unknown. */
  readonly etaSeconds: number | undefined;
  /** Transfer attempts started (1 for the first PUT). */
  readonly attempts: number;
  /** Set while waiting to retry: when the next attempt may start (epoch ms), and why. */
  readonly retry?: { readonly at: number; readonly error: ObjectStoreError };
  readonly error?: ObjectStoreError;
  /** The stored object, once `done`. */
  readonly object?: ObjectReference;
  /** `done` without a transfer: `skipIfUnchanged` found the same bytes already stored. */
  readonly skipped?: boolean;
}

export type UploadAction =
  | { type: 'queued' }
  | { type: 'hashing' }
  | { type: 'hashProgress'; hashed: number }
  | { type: 'hashed'; checksum: string }
  | { type: 'presigning' }
  | { type: 'uploading' }
  | { type: 'progress'; loaded: number; bytesPerSecond: number }
  | { type: 'finalizing' }
  | { type: 'retrying'; at: number; error: ObjectStoreError }
  | { type: 'done'; object: ObjectReference; skipped: boolean }
  | { type: 'failed'; error: ObjectStoreError }
  | { type: 'canceled'; error: ObjectStoreError }
  | { type: 'paused' };

export function initialSnapshot(id: string, key: string, file: Blob): UploadSnapshot {
  const name = typeof (file as Partial<File>).name === 'string' ? (file as File).name : key;
  return {
    id,
    key,
    file,
    name,
    status: 'queued',
    loaded: 0,
    total: file.size,
    hashed: 0,
    bytesPerSecond: 0,
    etaSeconds: undefined,
    attempts: 0,
  };
}

function eta(total: number, loaded: number, bytesPerSecond: number): number | undefined {
  return bytesPerSecond > 0 ? (total - loaded) / bytesPerSecond : undefined;
}

/** Pure: the next snapshot for an action (TanStack Query's reducer-over-actions). */
export function reduceUpload(state: UploadSnapshot, action: UploadAction): UploadSnapshot {
  // Fields that only describe a live transfer are cleared whenever the transfer is not live.
  const idle = { bytesPerSecond: 0, etaSeconds: undefined, retry: undefined } as const;
  switch (action.type) {
    case 'queued':
      return { ...state, ...idle, status: 'queued', loaded: 0, error: undefined };
    case 'hashing':
      return { ...state, ...idle, status: 'hashing', hashed: 0, error: undefined };
    case 'hashProgress':
      return { ...state, hashed: Math.min(action.hashed, state.total) };
    case 'hashed':
      return { ...state, hashed: state.total, checksum: action.checksum };
    case 'presigning':
      return { ...state, ...idle, status: 'presigning', loaded: 0 };
    case 'uploading':
      return { ...state, ...idle, status: 'uploading', loaded: 0, attempts: state.attempts + 1 };
    case 'progress': {
      const loaded = Math.min(action.loaded, state.total);
      return {
        ...state,
        status: loaded === state.total ? 'finalizing' : state.status,
        loaded,
        bytesPerSecond: action.bytesPerSecond,
        etaSeconds: eta(state.total, loaded, action.bytesPerSecond),
        retry: undefined,
      };
    }
    case 'finalizing':
      return { ...state, ...idle, status: 'finalizing', loaded: state.total };
    case 'retrying':
      return {
        ...state,
        bytesPerSecond: 0,
        etaSeconds: undefined,
        retry: { at: action.at, error: action.error },
      };
    case 'done':
      return {
        ...state,
        ...idle,
        status: 'done',
        loaded: state.total,
        object: action.object,
        skipped: action.skipped,
        error: undefined,
      };
    case 'failed':
      return { ...state, ...idle, status: 'failed', error: action.error };
    case 'canceled':
      return { ...state, ...idle, status: 'canceled', error: action.error };
    case 'paused':
      return { ...state, ...idle, status: 'paused', loaded: 0 };
  }
}

export function isSettled(status: UploadStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'canceled';
}
