// The pool's worker: hashes Blobs (one job at a time) and incremental sessions with hash-wasm.
import { isObjectStoreError } from '../core/errors';
import { hashBlob, hashBlobs } from './hash-blob';
import { createHasher, type Hasher } from './hashers';
import type { FromWorker, ToWorker } from './protocol';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

interface Job {
  controller: AbortController;
  /** Sessions chain their steps so chunks are hashed in the order they were sent. */
  steps: Promise<unknown>;
  hasher?: Promise<Hasher>;
}

const jobs = new Map<number, Job>();

function post(message: FromWorker, transfer?: Transferable[]): void {
  scope.postMessage(message, transfer);
}

function fail(id: number, error: unknown): void {
  jobs.delete(id);
  if (isObjectStoreError(error) && error.code === 'ABORTED') {
    post({ kind: 'aborted', id });
    return;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  post({ kind: 'error', id, message, ...(isObjectStoreError(error) ? { code: error.code } : {}) });
}

function finish(id: number, digest: Uint8Array): void {
  const job = jobs.get(id);
  jobs.delete(id);
  if (job?.controller.signal.aborted) post({ kind: 'aborted', id });
  else post({ kind: 'done', id, digest }, [digest.buffer]);
}

function startHash(message: Extract<ToWorker, { kind: 'hash' }>): void {
  const { id } = message;
  const controller = new AbortController();
  jobs.set(id, { controller, steps: Promise.resolve() });
  hashBlob(message.blob, message.type, {
    signal: controller.signal,
    onProgress: (bytesRead, total) => post({ kind: 'progress', id, bytesRead, total }),
    ...(message.stallTimeoutMs ? { stallTimeoutMs: message.stallTimeoutMs } : {}),
    ...(message.subtleMaxBytes !== undefined ? { subtleMaxBytes: message.subtleMaxBytes } : {}),
  }).then(
    (digest) => finish(id, digest),
    (error) => fail(id, error),
  );
}

/** Chains a step of a session after the previous ones, so chunks are hashed in the order they were sent. */
function sessionStep(id: number, step: (hasher: Hasher) => void): void {
  const job = jobs.get(id);
  if (!job?.hasher) return;
  const { hasher } = job;
  job.steps = job.steps.then(async () => {
    if (!jobs.has(id)) return;
    try {
      step(await hasher);
    } catch (error) {
      fail(id, error);
    }
  });
}

scope.addEventListener('message', ({ data: message }) => {
  switch (message.kind) {
    case 'hash':
      startHash(message);
      return;
    case 'hash-many': {
      const { id } = message;
      hashBlobs(message.blobs, message.type, (index, digest) =>
        post({ kind: 'digest-of', id, index, digest }, [digest.buffer as ArrayBuffer]),
      ).then(
        () => post({ kind: 'done-many', id }),
        (error) => fail(id, error),
      );
      return;
    }
    case 'session-start':
      jobs.set(message.id, {
        controller: new AbortController(),
        steps: Promise.resolve(),
        hasher: createHasher(message.type),
      });
      return;
    case 'session-update': {
      const { id, chunk } = message;
      sessionStep(id, (hasher) => {
        hasher.update(chunk);
        post({ kind: 'ack', id, chunk }, [chunk.buffer]);
      });
      return;
    }
    case 'session-digest':
      sessionStep(message.id, (hasher) => finish(message.id, hasher.digest()));
      return;
    case 'abort': {
      const job = jobs.get(message.id);
      if (!job) return;
      job.controller.abort();
      // A session has nothing in flight worth finishing; a Blob job answers from its read loop.
      if (job.hasher) {
        jobs.delete(message.id);
        post({ kind: 'aborted', id: message.id });
      }
      return;
    }
  }
});

post({ kind: 'ready' });
