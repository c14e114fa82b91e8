import { useCallback, useRef, useSyncExternalStore } from 'react';
import { useObjectStoreContext } from './context';
import type { DownloadTask, UploadTask } from './engine-types';

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

/** Snapshots of many tasks at once, re-rendering when any of them changes. */
export function useTaskSnapshots<S>(tasks: readonly Subscribable<S>[]): readonly S[] {
  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = tasks.map((task) => task.subscribe(listener));
      return () => {
        for (const stop of stops) stop();
      };
    },
    [tasks],
  );
  const compute = useCallback(() => tasks.map((task) => task.getSnapshot()), [tasks]);
  const getSnapshot = useStableArray(compute);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
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
