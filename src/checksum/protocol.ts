import type { ChecksumType } from '../core/types';

/** Main thread → worker. One job at a time per worker; `id` tells stale replies from an aborted job apart. */
export type ToWorker =
  | {
      kind: 'hash';
      id: number;
      blob: Blob;
      type: ChecksumType;
      stallTimeoutMs?: number;
      subtleMaxBytes?: number;
    }
  /** Small SHA files read as one Blob (one read instead of one per file), digested one by one. */
  | { kind: 'hash-many'; id: number; blobs: Blob[]; type: ChecksumType }
  | { kind: 'session-start'; id: number; type: ChecksumType }
  | { kind: 'session-update'; id: number; chunk: Uint8Array }
  | { kind: 'session-digest'; id: number }
  | { kind: 'abort'; id: number };

/** Worker → main thread. Every job ends with exactly one of `done` (`done-many`), `aborted`, `error`. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'progress'; id: number; bytesRead: number; total: number }
  /** An update was hashed; its bytes come back to be refilled (a MiB of garbage per update otherwise). */
  | { kind: 'ack'; id: number; chunk: Uint8Array }
  | { kind: 'done'; id: number; digest: Uint8Array }
  /** One file of a `hash-many` job is hashed; `done-many` follows the last. */
  | { kind: 'digest-of'; id: number; index: number; digest: Uint8Array }
  | { kind: 'done-many'; id: number }
  | { kind: 'aborted'; id: number }
  | { kind: 'error'; id: number; code?: string; message: string };
