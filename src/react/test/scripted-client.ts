// A client whose tasks move only when a test says so. It stands in for the engine in tests of
// the React layer (hooks must mirror whatever the engine reports); engine behaviour itself is
// tested against the real engine.
import { abortError, type ObjectStoreError } from '../../core/errors';
import type { ObjectReference } from '../../core/types';
import type {
  DownloadOptions,
  DownloadSnapshot,
  DownloadTask,
  ObjectStoreClient,
  UploadOptions,
  UploadSnapshot,
  UploadTask,
} from '../engine-types';

type Listener = () => void;

class Emitter {
  #listeners = new Set<Listener>();
  subscribe = (listener: Listener) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };
  emit() {
    for (const listener of [...this.#listeners]) listener();
  }
}

class ScriptedTask<S extends UploadSnapshot | DownloadSnapshot, R> extends Emitter {
  readonly calls: string[] = [];
  #snapshot: S;
  #resolve!: (value: R) => void;
  #reject!: (error: unknown) => void;
  done: Promise<R>;

  constructor(
    readonly id: string,
    readonly key: string,
    initial: S,
  ) {
    super();
    this.#snapshot = initial;
    this.done = this.#promise();
  }

  #promise() {
    const promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    promise.catch(() => {});
    return promise;
  }

  getSnapshot = () => this.#snapshot;

  set(patch: Partial<S>) {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.emit();
  }

  succeed(value: R, patch: Partial<S> = {}) {
    this.set({ ...patch, status: 'done', loaded: this.#snapshot.total, error: undefined } as Partial<S>);
    this.#resolve(value);
  }

  fail(error: ObjectStoreError) {
    this.set({ status: 'failed', error } as Partial<S>);
    this.#reject(error);
  }

  cancel = () => {
    this.calls.push('cancel');
    this.set({ status: 'canceled' } as Partial<S>);
    this.#reject(abortError());
  };
  pause = () => {
    this.calls.push('pause');
    this.set({ status: 'paused' } as Partial<S>);
  };
  resume = () => {
    this.calls.push('resume');
    this.set({ status: 'uploading' } as Partial<S>);
  };
  retry = () => {
    this.calls.push('retry');
    this.done = this.#promise();
    this.set({ status: 'queued', error: undefined } as Partial<S>);
  };
}

export class ScriptedUpload extends ScriptedTask<UploadSnapshot, ObjectReference> implements UploadTask {
  constructor(
    id: string,
    key: string,
    readonly file: Blob,
    readonly options: UploadOptions | undefined,
  ) {
    super(id, key, { status: 'queued', loaded: 0, total: file.size, bytesPerSecond: 0, etaSeconds: undefined });
  }

  /** Finishes as the engine does: the stored object's reference on the snapshot and `done`. */
  store(objects: Map<string, ObjectReference>): ObjectReference {
    const object = { key: this.key, checksum: `sum-of-${this.key}`, size: this.file.size, contentType: this.file.type };
    objects.set(this.key, object);
    this.succeed(object, { object });
    return object;
  }
}

export class ScriptedDownload extends ScriptedTask<DownloadSnapshot, Blob | undefined> implements DownloadTask {
  constructor(
    id: string,
    key: string,
    readonly options: DownloadOptions | undefined,
  ) {
    super(id, key, { status: 'queued', loaded: 0, total: 0, bytesPerSecond: 0, etaSeconds: undefined });
  }
}

export interface ScriptedClient extends ObjectStoreClient {
  readonly uploads: ScriptedUpload[];
  readonly downloads: ScriptedDownload[];
  /** What `get` answers from. */
  readonly objects: Map<string, ObjectReference>;
  readonly getCalls: string[];
  readonly deleteCalls: string[];
  /** Number of listeners on the task list: 0 once everything unmounted. */
  listenerCount(): number;
}

export function createScriptedClient(): ScriptedClient {
  const list = new Emitter();
  let listeners = 0;
  let next = 0;
  const uploads: ScriptedUpload[] = [];
  const downloads: ScriptedDownload[] = [];
  const objects = new Map<string, ObjectReference>();
  const getCalls: string[] = [];
  const deleteCalls: string[] = [];
  const client: ScriptedClient = {
    objects,
    getCalls,
    deleteCalls,
    get uploads() {
      return uploads;
    },
    get downloads() {
      return downloads;
    },
    upload(file, options) {
      next += 1;
      const task = new ScriptedUpload(`u${next}`, options?.key ?? `key-${next}`, file, options);
      uploads.push(task);
      list.emit();
      return task;
    },
    download(key, options) {
      next += 1;
      const task = new ScriptedDownload(`d${next}`, key, options);
      downloads.push(task);
      list.emit();
      return task;
    },
    subscribe(listener) {
      listeners += 1;
      const stop = list.subscribe(listener);
      return () => {
        listeners -= 1;
        stop();
      };
    },
    async get(key) {
      getCalls.push(key);
      return objects.get(key);
    },
    async delete(key) {
      deleteCalls.push(key);
      objects.delete(key);
    },
    listenerCount: () => listeners,
  };
  return client;
}
