import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { isObjectStoreError, ObjectStoreError } from '../core/errors';
import type { ObjectReference } from '../core/types';
import { type Base64Object, base64ToBlob, isBase64Object } from './base64';
import { useObjectStoreContext } from './context';
import type {
  DownloadSnapshot,
  DownloadStatus,
  DownloadTask,
  UploadOptions,
  UploadSnapshot,
  UploadStatus,
  UploadTask,
} from './engine-types';
import { transferProgress } from './format';
import { metadataKeys } from './query-keys';
import { isActive } from './status';
import { metadataQuery } from './use-object-metadata';
import { useTaskSnapshots } from './use-tasks';
import { startUploads } from './use-upload';

/** One object this hook touched, in the shape of the Forge UI Kit's `objectStates`. */
export interface ObjectState {
  key: string;
  success?: boolean;
  status?: UploadStatus | DownloadStatus | 'deleting';
  /** Message of the failure. */
  error?: string;
  errorCode?: string;
  objectType?: string;
  objectSize?: number;
  isUploading?: boolean;
  isDeleting?: boolean;
  isDownloading?: boolean;
  /** 0–1 of the running upload or download. */
  progress: number;
}

export interface ObjectResult {
  key: string;
  success: boolean;
  error?: ObjectStoreError;
}

export interface UploadObjectResult extends ObjectResult {
  object?: ObjectReference;
}

export interface DownloadObjectResult extends ObjectResult {
  blob?: Blob;
}

export type UploadableObject = Blob | Base64Object;

interface Entry {
  key: string;
  type?: string;
  size?: number;
  upload?: UploadTask;
  download?: DownloadTask;
  deleting?: boolean;
  deleteError?: ObjectStoreError;
}

function asError(error: unknown): ObjectStoreError {
  if (isObjectStoreError(error)) return error;
  return new ObjectStoreError('BACKEND', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

async function settle<T>(key: string, promise: Promise<T>) {
  try {
    return { key, success: true as const, value: await promise };
  } catch (error) {
    return { key, success: false as const, error: asError(error) };
  }
}

export interface UseObjectStoreResult {
  objectStates: ObjectState[];
  /** Uploads every object; resolves (never rejects) with one result per object, in order. */
  uploadObjects(args: {
    objects: UploadableObject[];
    options?: UploadOptions;
  }): Promise<UploadObjectResult[]>;
  /** Downloads each key into a Blob (verified); resolves with one result per key. */
  downloadObjects(args: { keys: string[]; cdn?: boolean }): Promise<DownloadObjectResult[]>;
  deleteObjects(args: { keys: string[]; cdn?: boolean }): Promise<ObjectResult[]>;
  /** Metadata through the React Query cache; undefined when no object has that key. */
  getObjectMetadata(key: string, options?: { cdn?: boolean }): Promise<ObjectReference | undefined>;
}

/** Parity with the Forge UI Kit hook `useObjectStore`, over this provider's client. */
export function useObjectStore(): UseObjectStoreResult {
  const context = useObjectStoreContext();
  const { client } = context;
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<readonly Entry[]>([]);

  const put = useCallback((changed: Entry[]) => {
    setEntries((current) => {
      const keys = new Set(changed.map((entry) => entry.key));
      return [...current.filter((entry) => !keys.has(entry.key)), ...changed];
    });
  }, []);
  const patch = useCallback((key: string, change: Partial<Entry> | null) => {
    setEntries((current) =>
      change === null
        ? current.filter((entry) => entry.key !== key)
        : current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)),
    );
  }, []);

  const tasks = useMemo(
    () =>
      entries.flatMap((entry): (UploadTask | DownloadTask)[] => {
        const task = entry.upload ?? entry.download;
        return task ? [task] : [];
      }),
    [entries],
  );
  const snapshots = useTaskSnapshots<UploadSnapshot | DownloadSnapshot>(tasks);

  const objectStates = useMemo(() => {
    const byTask = new Map<unknown, UploadSnapshot | DownloadSnapshot>();
    tasks.forEach((task, index) => {
      const snapshot = snapshots[index];
      if (snapshot) byTask.set(task, snapshot);
    });
    return entries.map((entry): ObjectState => {
      const task = entry.upload ?? entry.download;
      const base = { key: entry.key, objectType: entry.type, objectSize: entry.size };
      if (entry.deleting || entry.deleteError) {
        return {
          ...base,
          status: entry.deleting ? 'deleting' : 'failed',
          isDeleting: entry.deleting ?? false,
          ...(entry.deleteError
            ? { success: false, error: entry.deleteError.message, errorCode: entry.deleteError.code }
            : {}),
          progress: 0,
        };
      }
      const snapshot = task ? (byTask.get(task) ?? task.getSnapshot()) : undefined;
      if (!snapshot) return { ...base, progress: 0 };
      const running = isActive(snapshot.status);
      return {
        ...base,
        objectSize: entry.size ?? snapshot.total,
        status: snapshot.status,
        ...(snapshot.status === 'done' ? { success: true } : {}),
        ...(snapshot.error
          ? { success: false, error: snapshot.error.message, errorCode: snapshot.error.code }
          : {}),
        isUploading: entry.upload !== undefined && running,
        isDownloading: entry.download !== undefined && running,
        isDeleting: false,
        progress: transferProgress(snapshot) ?? 0,
      };
    });
  }, [entries, tasks, snapshots]);

  const uploadObjects = useCallback<UseObjectStoreResult['uploadObjects']>(
    async ({ objects, options }) => {
      const blobs = objects.map((object) => (isBase64Object(object) ? base64ToBlob(object) : object));
      const started = startUploads(context, blobs, options).map((task, index) => ({
        task,
        blob: blobs[index]!,
      }));
      put(
        started.map(({ task, blob }) => ({ key: task.key, type: blob.type, size: blob.size, upload: task })),
      );
      const results = await Promise.all(started.map(({ task }) => settle(task.key, task.done)));
      return results.map((result) =>
        result.success
          ? { key: result.key, success: true, object: result.value }
          : { key: result.key, success: false, error: result.error },
      );
    },
    [context, put],
  );

  const downloadObjects = useCallback<UseObjectStoreResult['downloadObjects']>(
    async ({ keys, cdn = false }) => {
      const started = keys.map((key) => client.download(key, { cdn, to: 'blob' }));
      put(started.map((task) => ({ key: task.key, download: task })));
      const results = await Promise.all(started.map((task) => settle(task.key, task.done)));
      return results.map((result) =>
        result.success && result.value
          ? { key: result.key, success: true, blob: result.value }
          : { key: result.key, success: false, error: result.success ? undefined : result.error },
      );
    },
    [client, put],
  );

  const deleteObjects = useCallback<UseObjectStoreResult['deleteObjects']>(
    async ({ keys, cdn = false }) => {
      put(keys.map((key) => ({ key, deleting: true })));
      const results = await Promise.all(keys.map((key) => settle(key, client.delete(key, { cdn }))));
      for (const result of results) {
        if (result.success) {
          patch(result.key, null);
          queryClient.setQueryData(metadataKeys.object(result.key, cdn), null);
        } else {
          patch(result.key, { deleting: false, deleteError: result.error });
        }
      }
      await queryClient.invalidateQueries({ queryKey: metadataKeys.all });
      return results.map((result) =>
        result.success
          ? { key: result.key, success: true }
          : { key: result.key, success: false, error: result.error },
      );
    },
    [client, put, patch, queryClient],
  );

  const getObjectMetadata = useCallback<UseObjectStoreResult['getObjectMetadata']>(
    async (key, options) =>
      (await queryClient.fetchQuery(metadataQuery(client, key, options?.cdn))) ?? undefined,
    [client, queryClient],
  );

  return { objectStates, uploadObjects, downloadObjects, deleteObjects, getObjectMetadata };
}
