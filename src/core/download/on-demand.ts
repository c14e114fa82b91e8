import { abortError, ObjectStoreError } from '../errors';
import { loadOnce } from '../load-once';
import type { DownloadDeps } from './download-task';
import { defaultFileName, QUEUED_SNAPSHOT } from './queued-snapshot';
import { showSavePicker } from './save-picker';
import type { DownloadOptions, DownloadSnapshot, DownloadTask } from './types';
import { validateDownload } from './validate-options';

type Engine = [typeof import('./download-task'), typeof import('./sinks')];

let counter = 0;

/** Ranged GETs, sinks and verification load with the first download, not with the page. */
const loadEngine = loadOnce(
  (): Promise<Engine> => Promise.all([import('./download-task'), import('./sinks')]),
);

/**
 * `createDownloadTask` behind a task that exists at once: options are checked and a save picker opened
 * synchronously (it needs the click), then the engine loads and the real task takes over. Until then
 * the task is `queued`, and pause, resume and cancel act on it as on the real one.
 */
export function downloadOnDemand(deps: DownloadDeps, key: string, options: DownloadOptions): DownloadTask {
  validateDownload(key, options);
  const fileName = options.fileName ?? defaultFileName(key);
  const picked = options.to === 'file' ? showSavePicker(fileName) : undefined;
  // Answered after a cancel before the engine loaded: nothing is written, nothing to report.
  picked?.catch(() => {});
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  let real: DownloadTask | undefined;
  let state: DownloadSnapshot = QUEUED_SNAPSHOT;
  let settle!: { resolve: (blob: Blob | undefined) => void; reject: (error: unknown) => void };
  const done = new Promise<Blob | undefined>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {});
  const end = (status: 'failed' | 'canceled', error: ObjectStoreError) => {
    state = { ...state, status, error, bytesPerSecond: 0, etaSeconds: undefined };
    settle.reject(error);
    notify();
  };
  const waiting = () => !real && (state.status === 'queued' || state.status === 'paused');
  /** Pause and resume before the engine loaded: only the status moves; the engine reads it when it starts. */
  const hold = (from: 'queued' | 'paused', to: 'queued' | 'paused') => {
    if (state.status !== from) return;
    state = { ...state, status: to };
    notify();
  };

  const task: DownloadTask = {
    id: `download-${Date.now().toString(36)}-${++counter}`,
    key,
    done,
    cancel() {
      if (real) real.cancel();
      else if (waiting()) end('canceled', abortError(options.signal?.reason));
    },
    pause() {
      if (real) real.pause();
      else hold('queued', 'paused');
    },
    resume() {
      if (real) real.resume();
      else hold('paused', 'queued');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => real?.getSnapshot() ?? state,
  };

  const { signal } = options;
  if (signal?.aborted) {
    task.cancel();
    return task;
  }
  signal?.addEventListener('abort', () => !real && task.cancel(), { once: true });
  loadEngine().then(
    ([{ createDownloadTask }, { openSaveTarget, openSink }]) => {
      if (!waiting()) return;
      real = createDownloadTask(
        {
          ...deps,
          openSink: (target, sinkOptions) =>
            target === 'file' ? openSaveTarget(sinkOptions, picked) : openSink(target, sinkOptions),
        },
        key,
        { ...options, fileName },
      );
      if (state.status === 'paused') real.pause();
      real.subscribe(notify);
      real.done.then(settle.resolve, settle.reject);
      notify();
    },
    (cause) => {
      if (waiting())
        end(
          'failed',
          new ObjectStoreError('NETWORK', 'Could not load the download code; try again.', { cause }),
        );
    },
  );
  return task;
}
