// Test clients for the React layer: the real upload engine (over the core's fake backend and
// scripted transport), plus downloads that move only when a test says so, until the download
// engine lands on main.
import { abortError, type ObjectStoreError } from '../../core/errors';
import { createHarness } from '../../core/test-support/harness';
import type { DownloadOptions, DownloadSnapshot, DownloadTask, ObjectStoreClient } from '../engine-types';

type Listener = () => void;

class Emitter {
  #listeners = new Set<Listener>();
  get size() {
    return this.#listeners.size;
  }
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

export class ScriptedDownload extends Emitter implements DownloadTask {
  readonly calls: string[] = [];
  #snapshot: DownloadSnapshot = {
    status: 'queued',
    loaded: 0,
    total: 0,
    bytesPerSecond: 0,
    etaSeconds: undefined,
  };
  #resolve!: (value: Blob | undefined) => void;
  #reject!: (error: unknown) => void;
  readonly done: Promise<Blob | undefined>;

  constructor(
    readonly id: string,
    readonly key: string,
    readonly options: DownloadOptions | undefined,
  ) {
    super();
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.done.catch(() => {});
  }

  getSnapshot = () => this.#snapshot;

  set(patch: Partial<DownloadSnapshot>) {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.emit();
  }
  succeed(blob: Blob | undefined, patch: Partial<DownloadSnapshot> = {}) {
    this.set({ ...patch, status: 'done', error: undefined });
    this.#resolve(blob);
  }
  fail(error: ObjectStoreError) {
    this.set({ status: 'failed', error });
    this.#reject(error);
  }
  cancel = () => {
    this.calls.push('cancel');
    this.set({ status: 'canceled' });
    this.#reject(abortError());
  };
  pause = () => {
    this.calls.push('pause');
    this.set({ status: 'paused' });
  };
  resume = () => {
    this.calls.push('resume');
    this.set({ status: 'downloading' });
  };
}

export interface TestClient extends ObjectStoreClient {
  readonly downloads: ScriptedDownload[];
}

/** A client with the real upload engine; `fake.objects` is the store, `serve()` answers PUTs. */
export function createTestClient(options: Parameters<typeof createHarness>[0] = {}) {
  const harness = createHarness(options);
  const list = new Emitter();
  const downloads: ScriptedDownload[] = [];
  let next = 0;
  const core = harness.client;
  const client: TestClient = {
    upload: (file, options) => core.upload(file, options),
    get uploads() {
      return core.uploads;
    },
    get downloads() {
      return downloads;
    },
    subscribe(listener) {
      const stopCore = core.subscribe(listener);
      const stopList = list.subscribe(listener);
      return () => {
        stopCore();
        stopList();
      };
    },
    get: (key, options) => core.get(key, options),
    delete: (key, options) => core.delete(key, options),
    clearFinished: () => core.clearFinished(),
    download(key, options) {
      next += 1;
      const task = new ScriptedDownload(`download-${next}`, key, options);
      downloads.push(task);
      list.emit();
      return task;
    },
  };
  return { ...harness, client, downloadListeners: () => list.size };
}
