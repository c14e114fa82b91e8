import { type RefObject, useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { type ObjectStoreContextValue, useObjectStoreContext } from './context';
import type { DownloadTask, UploadTask } from './engine-types';
import { progressOf } from './format';
import { isActive, isSettled, type Status } from './status';

interface Subscribable<S> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): S;
}

/** The live snapshot of one task. */
export function useTaskSnapshot<S>(task: Subscribable<S>): S {
  const subscribe = useCallback((listener: () => void) => task.subscribe(listener), [task]);
  const getSnapshot = useCallback(() => task.getSnapshot(), [task]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * Returns `compute()`, but the previous array when its items are the same objects: React's
 * `useSyncExternalStore` needs a stable snapshot, whatever the engine's arrays do.
 */
function useStableArray<T>(compute: () => readonly T[]): () => readonly T[] {
  const last = useRef<readonly T[]>([]);
  return useCallback(() => {
    const next = compute();
    if (!sameItems(last.current, next)) last.current = next;
    return last.current;
  }, [compute]);
}

function useTaskValues<S, V>(tasks: readonly Subscribable<S>[], read: (snapshot: S) => V): readonly V[] {
  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = tasks.map((task) => task.subscribe(listener));
      return () => {
        for (const stop of stops) stop();
      };
    },
    [tasks],
  );
  const compute = useCallback(() => tasks.map((task) => read(task.getSnapshot())), [tasks, read]);
  const getSnapshot = useStableArray(compute);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

const wholeSnapshot = <S>(snapshot: S): S => snapshot;
const statusOf = (snapshot: { status: Status }): Status => snapshot.status;

/** Snapshots of many tasks at once, re-rendering when any of them changes. */
export function useTaskSnapshots<S>(tasks: readonly Subscribable<S>[]): readonly S[] {
  return useTaskValues<S, S>(tasks, wholeSnapshot);
}

/**
 * The statuses of many tasks, re-rendering only when one of them changes status: progress events,
 * many per second per task, leave the caller alone.
 */
export function useTaskStatuses(tasks: readonly Subscribable<{ status: Status }>[]): readonly Status[] {
  return useTaskValues(tasks, statusOf);
}

function useClientList<T extends { id: string }>(read: () => readonly T[] | undefined): readonly T[] {
  const { client, removed } = useObjectStoreContext();
  const subscribe = useCallback(
    (listener: () => void) => {
      const stopClient = client.subscribe(listener);
      const stopRemoved = removed.subscribe(listener);
      return () => {
        stopClient();
        stopRemoved();
      };
    },
    [client, removed],
  );
  const compute = useCallback(() => (read() ?? []).filter((task) => !removed.has(task.id)), [read, removed]);
  const getSnapshot = useStableArray(compute);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** The client's uploads, minus those removed from view. */
export function useUploadTasks(): readonly UploadTask[] {
  const { client } = useObjectStoreContext();
  return useClientList(useCallback(() => client.uploads, [client]));
}

/** The client's downloads, minus those removed from view. */
export function useDownloadTasks(): readonly DownloadTask[] {
  const { client } = useObjectStoreContext();
  return useClientList(useCallback(() => client.downloads, [client]));
}

interface ListedTask<S> extends Subscribable<S> {
  readonly id: string;
  cancel(): void;
  pause(): void;
  resume(): void;
}

export interface TaskView<T, S, O> {
  context: ObjectStoreContextValue;
  /** The tasks listed: all of the client's, or with `own` only those this hook started. */
  tasks: readonly T[];
  snapshots: readonly S[];
  /** The latest defaults, read when a transfer starts, so callers may pass a fresh object each render. */
  defaultsRef: RefObject<O>;
  /** Marks tasks this hook started (they are listed when `own` is set). */
  adopt(ids: readonly string[]): void;
  find(id: string): T | undefined;
  /** Takes the task off the lists, canceling it first if it is still running. */
  remove(id: string): void;
  /** Takes every settled (done, failed or canceled) listed task off the lists. */
  clear(): void;
  cancel(id: string): void;
  pause(id: string): void;
  resume(id: string): void;
  /** Bytes moved over bytes to move, 0–1, across the listed tasks that are not canceled. */
  progress: number;
  /** Some listed task is running or waiting its turn. */
  active: boolean;
}

/** What `useUpload` and `useDownload` share: which tasks they list, their snapshots and totals, and the actions by id. */
export function useTaskView<
  T extends ListedTask<S>,
  S extends { status: Status; loaded: number; total: number },
  O,
>(allTasks: readonly T[], own: boolean, defaults: O): TaskView<T, S, O> {
  const context = useObjectStoreContext();
  const [ownIds, setOwnIds] = useState<ReadonlySet<string>>(() => new Set());
  const tasks = useMemo(
    () => (own ? allTasks.filter((task) => ownIds.has(task.id)) : allTasks),
    [own, allTasks, ownIds],
  );
  const snapshots = useTaskSnapshots(tasks);
  const defaultsRef = useRef(defaults);
  defaultsRef.current = defaults;
  const adopt = useCallback(
    (ids: readonly string[]) => {
      if (own) setOwnIds((previous) => new Set([...previous, ...ids]));
    },
    [own],
  );
  const find = useCallback((id: string) => tasks.find((task) => task.id === id), [tasks]);
  const remove = useCallback(
    (id: string) => {
      const task = find(id);
      if (task && !isSettled(task.getSnapshot().status)) task.cancel();
      context.removed.add([id]);
    },
    [find, context],
  );
  const clear = useCallback(() => {
    context.removed.add(tasks.filter((task) => isSettled(task.getSnapshot().status)).map((task) => task.id));
  }, [tasks, context]);
  let loaded = 0;
  let total = 0;
  for (const snapshot of snapshots) {
    if (snapshot.status === 'canceled') continue;
    loaded += snapshot.loaded;
    total += snapshot.total;
  }
  return {
    context,
    tasks,
    snapshots,
    defaultsRef,
    adopt,
    find,
    remove,
    clear,
    cancel: (id) => find(id)?.cancel(),
    pause: (id) => find(id)?.pause(),
    resume: (id) => find(id)?.resume(),
    progress: progressOf(loaded, total) ?? 0,
    active: snapshots.some((snapshot) => isActive(snapshot.status)),
  };
}
