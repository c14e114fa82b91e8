import type { UploadSnapshot } from './state';
import { isSettled } from './state';
import type { UploadTask } from './task';

/** The client's live list of tasks, with one snapshot array rebuilt only on change. */
export interface UploadList {
  readonly tasks: readonly UploadTask[];
  add(task: UploadTask): void;
  clearFinished(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly UploadSnapshot[];
}

export function createUploadList(): UploadList {
  let entries: Array<{ task: UploadTask; unsubscribe: () => void }> = [];
  let tasks: readonly UploadTask[] = [];
  let snapshot: readonly UploadSnapshot[] = [];
  const listeners = new Set<() => void>();

  function changed(): void {
    snapshot = entries.map((entry) => entry.task.getSnapshot());
    for (const listener of [...listeners]) listener();
  }

  return {
    get tasks() {
      return tasks;
    },
    add(task) {
      entries = [...entries, { task, unsubscribe: task.subscribe(changed) }];
      tasks = entries.map((entry) => entry.task);
      changed();
    },
    clearFinished() {
      const keep = entries.filter((entry) => !isSettled(entry.task.getSnapshot().status));
      if (keep.length === entries.length) return;
      for (const entry of entries) if (!keep.includes(entry)) entry.unsubscribe();
      entries = keep;
      tasks = entries.map((entry) => entry.task);
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
  };
}
