import { createContext, useContext } from 'react';
import { ObjectStoreError } from '../core/errors';
import type { DownloadTask, ObjectStoreClient, UploadTask } from './engine-types';
import type { IdSet } from './id-set';
import type { Messages } from './messages';

/** What the React layer remembers about tasks it started (the engine's task may not carry it). */
export interface TaskInfo {
  name: string;
  type: string;
  size: number | undefined;
  cdn: boolean;
}

export interface ObjectStoreContextValue {
  client: ObjectStoreClient;
  messages: Messages;
  locale: string | undefined;
  taskInfo: WeakMap<UploadTask | DownloadTask, TaskInfo>;
  removed: IdSet;
}

export const ObjectStoreContext = createContext<ObjectStoreContextValue | null>(null);

export function useObjectStoreContext(): ObjectStoreContextValue {
  const value = useContext(ObjectStoreContext);
  if (!value) {
    throw new ObjectStoreError(
      'INVALID_INPUT',
      'objectdrop hooks and components need an <ObjectStoreProvider> above them.',
    );
  }
  return value;
}

/** Name, type and size of an upload, from the engine's task or what we recorded when starting it. */
export function describeUpload(context: ObjectStoreContextValue, task: UploadTask): TaskInfo {
  const known = context.taskInfo.get(task);
  if (known) return known;
  const { name, file, total } = task.getSnapshot();
  return { name, type: file.type, size: total, cdn: false };
}

export function rememberTask(
  context: ObjectStoreContextValue,
  task: UploadTask | DownloadTask,
  info: Partial<TaskInfo> & { name: string },
) {
  context.taskInfo.set(task, { type: '', size: undefined, cdn: false, ...info });
}
