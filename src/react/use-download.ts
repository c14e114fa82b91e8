import { useCallback, useMemo } from 'react';
import { rememberTask } from './context';
import type { DownloadOptions, DownloadSnapshot, DownloadTask } from './engine-types';
import { transferProgress } from './format';
import { useDownloadTasks, useTaskView } from './use-tasks';

export interface UseDownloadOptions extends Omit<DownloadOptions, 'signal' | 'fileName'> {
  /** List only the downloads this hook started. Default `false`: every download of the provider's client. */
  own?: boolean;
}

export interface DownloadItem extends DownloadSnapshot {
  id: string;
  key: string;
  name: string;
  /** 0–1, or undefined while the size is unknown. */
  progress: number | undefined;
  speed: number;
  task: DownloadTask;
}

export interface UseDownloadResult {
  download(key: string, options?: DownloadOptions): DownloadTask;
  items: readonly DownloadItem[];
  cancel(id: string): void;
  pause(id: string): void;
  resume(id: string): void;
  /** Runs a failed or canceled download again, as a new task (the old one leaves the list). */
  retry(id: string): void;
  remove(id: string): void;
  clear(): void;
  progress: number;
  isDownloading: boolean;
}

/** The last path segment of a key: what a saved file is called by default. */
export function fileNameOf(key: string): string {
  return key.split('/').filter(Boolean).pop() ?? key;
}

export function useDownload(options: UseDownloadOptions = {}): UseDownloadResult {
  const { own = false, ...defaults } = options;
  const view = useTaskView<DownloadTask, DownloadSnapshot, DownloadOptions>(
    useDownloadTasks(),
    own,
    defaults,
  );
  const { context, tasks, snapshots, defaultsRef, adopt, find } = view;

  const items = useMemo(
    () =>
      tasks.map((task, index): DownloadItem => {
        const snapshot = snapshots[index] ?? task.getSnapshot();
        return {
          ...snapshot,
          id: task.id,
          key: task.key,
          name: context.taskInfo.get(task)?.name ?? fileNameOf(task.key),
          progress: transferProgress(snapshot),
          speed: snapshot.bytesPerSecond,
          task,
        };
      }),
    [tasks, snapshots, context],
  );

  const download = useCallback(
    (key: string, perCall?: DownloadOptions) => {
      const { client } = context;
      const merged = { ...defaultsRef.current, ...perCall };
      const task = client.download(key, merged);
      rememberTask(context, task, { name: merged.fileName ?? fileNameOf(key), cdn: merged.cdn ?? false });
      adopt([task.id]);
      return task;
    },
    [context, adopt, defaultsRef],
  );

  const retry = useCallback(
    (id: string) => {
      const task = find(id);
      if (!task) return;
      const info = context.taskInfo.get(task);
      context.removed.add([id]);
      download(task.key, { fileName: info?.name, cdn: info?.cdn });
    },
    [find, context, download],
  );

  return {
    download,
    items,
    cancel: view.cancel,
    pause: view.pause,
    resume: view.resume,
    retry,
    remove: view.remove,
    clear: view.clear,
    progress: view.progress,
    isDownloading: view.active,
  };
}
