/** What a list needs of a task: a snapshot with a status, and change notifications. */
export interface ListedTask<Snapshot extends { status: string }> {
  getSnapshot(): Snapshot;
  subscribe(listener: () => void): () => void;
}

/** A client's live list of tasks (uploads or downloads), with one snapshot array rebuilt only on change. */
export interface TaskList<Task extends ListedTask<Snapshot>, Snapshot extends { status: string }> {
  readonly tasks: readonly Task[];
  add(task: Task): void;
  /** Drops settled tasks (done, failed, canceled). */
  clearFinished(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly Snapshot[];
}

const SETTLED: ReadonlySet<string> = new Set(['done', 'failed', 'canceled']);

export function createTaskList<
  Task extends ListedTask<Snapshot>,
  Snapshot extends { status: string },
>(): TaskList<Task, Snapshot> {
  let entries: Array<{ task: Task; unsubscribe: () => void }> = [];
  let tasks: readonly Task[] = [];
  let snapshot: readonly Snapshot[] = [];
  // Rebuilt when read after a change, not on every change: 200 uploads send thousands of progress
  // events, and rebuilding a 200-entry array for each one is work nobody may be reading.
  let stale = false;
  const listeners = new Set<() => void>();

  function changed(): void {
    stale = true;
    if (listeners.size > 0) for (const listener of [...listeners]) listener();
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
      const keep = entries.filter((entry) => !SETTLED.has(entry.task.getSnapshot().status));
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
    getSnapshot() {
      if (stale) {
        snapshot = entries.map((entry) => entry.task.getSnapshot());
        stale = false;
      }
      return snapshot;
    },
  };
}
