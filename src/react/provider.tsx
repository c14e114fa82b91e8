import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { createObjectStore, type ObjectStoreClientOptions } from '../core/client';
import type { ObjectStoreBackend } from '../core/types';
import { ObjectStoreContext, type ObjectStoreContextValue, type TaskInfo } from './context';
import type { DownloadTask, ObjectStoreClient, UploadTask } from './engine-types';
import { createIdSet } from './id-set';
import { type Messages, mergeMessages } from './messages';
import { metadataKeys } from './query-keys';

export interface ObjectStoreProviderProps {
  /** Where pre-signed URLs come from. Read once, at mount. Ignored when `client` is given. */
  backend?: ObjectStoreBackend;
  /** An existing core client (from `createObjectStore`), shared with code outside React. */
  client?: ObjectStoreClient;
  /** Default: the QueryClient of a `QueryClientProvider` above, else one of our own. */
  queryClient?: QueryClient;
  /** Options of `createObjectStore` besides `backend`. Read once, at mount. */
  options?: Omit<ObjectStoreClientOptions, 'backend'>;
  /** Overrides of the components' strings. */
  messages?: Partial<Messages>;
  /** BCP 47 locale for sizes, percentages and times. Default: the user's. */
  locale?: string;
  children?: ReactNode;
}

export function ObjectStoreProvider(props: ObjectStoreProviderProps) {
  const { backend, client: given, queryClient, options, messages, locale, children } = props;
  const outerQueryClient = useContext(QueryClientContext);
  const [client] = useState(() => {
    if (given) return given;
    if (!backend) throw new TypeError('<ObjectStoreProvider> needs a `backend` or a `client`.');
    return createObjectStore({ ...options, backend });
  });
  const [ownQueryClient] = useState(() => (queryClient || outerQueryClient ? undefined : new QueryClient()));
  const activeQueryClient = queryClient ?? outerQueryClient ?? ownQueryClient!;
  const taskInfo = taskInfoOf(client);
  const [removed] = useState(createIdSet);
  const value = useMemo<ObjectStoreContextValue>(
    () => ({ client, messages: mergeMessages(messages), locale, taskInfo, removed }),
    [client, messages, locale, taskInfo, removed],
  );

  // Keyed on the client, not on `value`: new `messages` each render must not resubscribe everything.
  useEffect(
    () => syncFinishedUploads(client, taskInfo, activeQueryClient),
    [client, taskInfo, activeQueryClient],
  );

  const tree = <ObjectStoreContext.Provider value={value}>{children}</ObjectStoreContext.Provider>;
  if (activeQueryClient === outerQueryClient) return tree;
  return <QueryClientProvider client={activeQueryClient}>{tree}</QueryClientProvider>;
}

const taskInfoByClient = new WeakMap<ObjectStoreClient, WeakMap<UploadTask | DownloadTask, TaskInfo>>();

/** What we know of a client's tasks, shared by every provider of that client. */
function taskInfoOf(client: ObjectStoreClient): WeakMap<UploadTask | DownloadTask, TaskInfo> {
  let info = taskInfoByClient.get(client);
  if (!info) {
    info = new WeakMap();
    taskInfoByClient.set(client, info);
  }
  return info;
}

/** Uploads that finish put their `ObjectReference` into the metadata cache. Returns the cleanup. */
function syncFinishedUploads(
  client: ObjectStoreClient,
  taskInfo: WeakMap<UploadTask | DownloadTask, TaskInfo>,
  queryClient: QueryClient,
): () => void {
  const watched = new Map<UploadTask, () => void>();
  // Uploads that finished before this provider mounted are settled quietly: no refetch storm.
  const settle = (task: UploadTask, quiet = false) => {
    const { status, object } = task.getSnapshot();
    if (status !== 'done' || !object) return;
    const info = taskInfo.get(task);
    if (info) queryClient.setQueryData(metadataKeys.object(object.key, info.cdn), object);
    else if (!quiet) void queryClient.invalidateQueries({ queryKey: metadataKeys.key(object.key) });
  };
  const watch = () => {
    const listed = new Set(client.uploads);
    // Cleared tasks leave the client's list: let them (and their files) go.
    for (const [task, stop] of watched) {
      if (listed.has(task)) continue;
      stop();
      watched.delete(task);
    }
    for (const task of listed) {
      if (watched.has(task)) continue;
      watched.set(
        task,
        task.subscribe(() => settle(task)),
      );
      settle(task, quiet);
    }
  };
  let quiet = true;
  watch();
  quiet = false;
  const unsubscribe = client.subscribe(watch);
  return () => {
    unsubscribe();
    for (const stop of watched.values()) stop();
  };
}
