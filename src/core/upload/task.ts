import type { EngineContext } from '../context';
import { abortError, type ObjectStoreError } from '../errors';
import { loadOnce } from '../load-once';
import type { ObjectReference, UploadUrlBody } from '../types';
import { toObjectStoreError } from '../with-retry';
import type { UploadJob, UploadSlots } from './pipeline';
import { initialSnapshot, isSettled, reduceUpload, type UploadAction, type UploadSnapshot } from './state';

/** One file on its way to the store. Subscribe to it, or read `getSnapshot()`, to render it. */
export interface UploadTask {
  readonly id: string;
  readonly key: string;
  /** The Blob or File being uploaded. */
  readonly file: Blob;
  /**
   * Settles with the stored object, or rejects with an `ObjectStoreError` (`ABORTED` after
   * `cancel()`). `retry()` starts a new attempt with a new promise: read `done` again after it.
   */
  readonly done: Promise<ObjectReference>;
  /** Aborts whatever runs (hash, presign, PUT) and rejects `done` with `ABORTED`. */
  cancel(): void;
  /** Aborts the PUT (or the hashing) and keeps the checksum; `resume()` starts the PUT again. */
  pause(): void;
  resume(): void;
  /** Runs a failed or canceled task again, keeping its checksum. */
  retry(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): UploadSnapshot;
}

type Stop = 'pause' | 'cancel';

// One import() for all uploads: 200 files queued at once each paid for their own.
const loadPipeline = loadOnce(() => import('./pipeline'));

interface Deferred {
  promise: Promise<ObjectReference>;
  resolve(object: ObjectReference): void;
  reject(error: ObjectStoreError): void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  let reject!: Deferred['reject'];
  const promise = new Promise<ObjectReference>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed upload nobody awaits must not crash a Node process as an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export interface UploadTaskInit {
  id: string;
  file: Blob;
  request: Omit<UploadUrlBody, 'checksum'>;
  skipIfUnchanged: boolean;
  signal?: AbortSignal;
  /** Input that failed validation: the task fails on start, without a request. */
  invalid?: ObjectStoreError;
}

/** State machine of one upload: runs the pipeline, turns its outcome and the controls into actions. */
export class UploadTaskImpl implements UploadTask {
  readonly id: string;
  readonly key: string;
  readonly file: Blob;
  #state: UploadSnapshot;
  #deferred = deferred();
  #listeners = new Set<() => void>();
  #run: { controller: AbortController; stop?: Stop } | undefined;
  readonly #job: UploadJob;
  readonly #context: EngineContext;
  readonly #slots: UploadSlots;
  readonly #invalid: ObjectStoreError | undefined;

  constructor(init: UploadTaskInit, context: EngineContext, slots: UploadSlots) {
    this.id = init.id;
    this.key = init.request.key;
    this.file = init.file;
    this.#context = context;
    this.#slots = slots;
    this.#invalid = init.invalid;
    this.#state = initialSnapshot(init.id, init.request.key, init.file);
    this.#job = {
      file: init.file,
      request: init.request,
      skipIfUnchanged: init.skipIfUnchanged,
      dispatch: () => {},
    };
    const { signal } = init;
    if (signal) {
      if (signal.aborted) queueMicrotask(() => this.cancel());
      else signal.addEventListener('abort', () => this.cancel(), { once: true });
    }
  }

  get done(): Promise<ObjectReference> {
    return this.#deferred.promise;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getSnapshot = (): UploadSnapshot => this.#state;

  #dispatch(action: UploadAction): void {
    this.#state = reduceUpload(this.#state, action);
    for (const listener of [...this.#listeners]) listener();
  }

  /** Starts a run unless one is going. Called by the client once the task is listed. */
  start(): void {
    if (this.#run) return;
    if (this.#invalid) {
      this.#dispatch({ type: 'failed', error: this.#invalid });
      this.#deferred.reject(this.#invalid);
      return;
    }
    const run: { controller: AbortController; stop?: Stop } = { controller: new AbortController() };
    this.#run = run;
    // Late events of a stopped run (an XHR progress after abort) must not move the state.
    this.#job.dispatch = (action) => {
      if (!run.stop) this.#dispatch(action);
    };
    if (this.#state.status !== 'queued') this.#dispatch({ type: 'queued' });
    // The pipeline loads with the first upload, not with the page.
    loadPipeline()
      .then(({ runUpload }) => runUpload(this.#job, this.#context, this.#slots, run.controller.signal))
      .then(
        ({ object, skipped }) => {
          if (run.stop) return;
          this.#run = undefined;
          this.#dispatch({ type: 'done', object, skipped });
          this.#deferred.resolve(object);
        },
        (caught: unknown) => {
          if (run.stop) return;
          this.#run = undefined;
          const error = toObjectStoreError(caught, 'Upload');
          this.#dispatch({ type: 'failed', error });
          this.#deferred.reject(error);
        },
      );
  }

  #stop(stop: Stop): boolean {
    const run = this.#run;
    if (!run || run.stop) return false;
    run.stop = stop;
    this.#run = undefined;
    run.controller.abort(abortError(stop === 'pause' ? 'paused' : 'canceled'));
    return true;
  }

  cancel(): void {
    const { status } = this.#state;
    if (isSettled(status)) return;
    this.#stop('cancel');
    const error = abortError('canceled');
    this.#dispatch({ type: 'canceled', error });
    this.#deferred.reject(error);
  }

  pause(): void {
    // Once the last byte has left, stopping would not stop the store from keeping the object.
    const { status } = this.#state;
    if (isSettled(status) || status === 'paused' || status === 'finalizing') return;
    this.#stop('pause');
    this.#dispatch({ type: 'paused' });
  }

  resume(): void {
    if (this.#state.status === 'paused') this.start();
  }

  retry(): void {
    const { status } = this.#state;
    if (status !== 'failed' && status !== 'canceled') return;
    this.#deferred = deferred();
    this.start();
  }
}
