import { useCallback, useMemo } from 'react';
import { describeUpload, type ObjectStoreContextValue, rememberTask } from './context';
import type { UploadOptions, UploadSnapshot, UploadTask } from './engine-types';
import { transferProgress } from './format';
import { useTaskView, useUploadTasks } from './use-tasks';

export interface UseUploadOptions extends Omit<UploadOptions, 'key' | 'signal'> {
  /** List only the uploads this hook started. Default `false`: every upload of the provider's client. */
  own?: boolean;
}

export interface UploadItem extends UploadSnapshot {
  id: string;
  key: string;
  name: string;
  type: string;
  size: number | undefined;
  /** 0–1, or undefined while the size is unknown. */
  progress: number | undefined;
  /** Same as `bytesPerSecond`. */
  speed: number;
  task: UploadTask;
}

export type PerFileUploadOptions = UploadOptions | ((file: Blob, index: number) => UploadOptions | undefined);

export interface UseUploadResult {
  /** Starts one upload per file (the engine queues them); returns the tasks. */
  upload(files: Blob | Iterable<Blob> | ArrayLike<Blob>, options?: PerFileUploadOptions): UploadTask[];
  items: readonly UploadItem[];
  cancel(id: string): void;
  pause(id: string): void;
  resume(id: string): void;
  retry(id: string): void;
  /** Takes the item off the lists (canceling it first if it is still running). */
  remove(id: string): void;
  /** Takes every finished (done, failed or canceled) item off the lists, and out of the client. */
  clear(): void;
  /** Bytes sent over bytes to send, 0–1, across the listed uploads that are not canceled. */
  progress: number;
  isUploading: boolean;
}

export function toFiles(files: Blob | Iterable<Blob> | ArrayLike<Blob>): Blob[] {
  if (files instanceof Blob) return [files];
  return Array.from(files as ArrayLike<Blob>);
}

/** Hands each file to the engine, remembering its name, type and size for the lists. */
export function startUploads(
  context: ObjectStoreContextValue,
  files: readonly Blob[],
  defaults: UploadOptions = {},
  perFile?: PerFileUploadOptions,
): UploadTask[] {
  return files.map((file, index) => {
    const fileOptions = typeof perFile === 'function' ? perFile(file, index) : perFile;
    const merged = { ...defaults, ...fileOptions };
    const task = context.client.upload(file, merged);
    rememberTask(context, task, {
      name: (file as File).name || task.key,
      type: file.type,
      size: file.size,
      cdn: merged.cdn ?? false,
    });
    return task;
  });
}

export function useUpload(options: UseUploadOptions = {}): UseUploadResult {
  const { own = false, ...defaults } = options;
  const view = useTaskView<UploadTask, UploadSnapshot, UploadOptions>(useUploadTasks(), own, defaults);
  const { context, tasks, snapshots, defaultsRef, adopt, find } = view;

  const items = useMemo(
    () =>
      tasks.map((task, index): UploadItem => {
        const snapshot = snapshots[index] ?? task.getSnapshot();
        const info = describeUpload(context, task);
        return {
          ...snapshot,
          id: task.id,
          key: task.key,
          name: info.name,
          type: info.type,
          size: info.size ?? snapshot.total,
          progress: transferProgress(snapshot),
          speed: snapshot.bytesPerSecond,
          task,
        };
      }),
    [tasks, snapshots, context],
  );

  const upload = useCallback(
    (files: Blob | Iterable<Blob> | ArrayLike<Blob>, perFile?: PerFileUploadOptions) => {
      const started = startUploads(context, toFiles(files), defaultsRef.current, perFile);
      adopt(started.map((task) => task.id));
      return started;
    },
    [context, adopt, defaultsRef],
  );

  const { clear: clearListed } = view;
  const clear = useCallback(() => {
    clearListed();
    context.client.clearFinished?.();
  }, [clearListed, context]);

  return {
    upload,
    items,
    cancel: view.cancel,
    pause: view.pause,
    resume: view.resume,
    retry: (id) => find(id)?.retry(),
    remove: view.remove,
    clear,
    progress: view.progress,
    isUploading: view.active,
  };
}
