import {
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { ObjectStoreError } from '../core/errors';
import type { ObjectReference } from '../core/types';
import { useObjectStoreContext } from './context';
import type { ObjectStoreClient } from './engine-types';
import { metadataKeys } from './query-keys';

/** Query options of one key's metadata, shared by `useObjectMetadata` and `getObjectMetadata`. */
export function metadataQuery(client: ObjectStoreClient, key: string, cdn = false) {
  return {
    queryKey: metadataKeys.object(key, cdn),
    // React Query does not allow `undefined` as data: a missing object is `null`.
    queryFn: async ({ signal }: { signal: AbortSignal }) => (await client.get(key, { cdn, signal })) ?? null,
  };
}

export interface ObjectMetadataOptions
  extends Omit<UseQueryOptions<ObjectReference | null, ObjectStoreError>, 'queryKey' | 'queryFn'> {
  /** Read from the CDN bucket. Default `false`. */
  cdn?: boolean;
}

/**
 * The object's metadata (`ObjectReference`), or `null` when no object has that key. A React
 * Query query: the cache holds metadata only, never pre-signed URLs, which expire.
 * Pass `key` undefined to wait (the query is disabled).
 */
export function useObjectMetadata(
  key: string | undefined,
  options: ObjectMetadataOptions = {},
): UseQueryResult<ObjectReference | null, ObjectStoreError> {
  const { client } = useObjectStoreContext();
  const { cdn = false, enabled = true, ...rest } = options;
  return useQuery<ObjectReference | null, ObjectStoreError>({
    ...rest,
    ...metadataQuery(client, key ?? '', cdn),
    enabled: key !== undefined && enabled,
  });
}

export interface DeleteObjectVariables {
  key: string;
  cdn?: boolean;
}

/** Deletes an object; on success the key's metadata reads `null` and its queries refetch. */
export function useDeleteObject(): UseMutationResult<void, ObjectStoreError, DeleteObjectVariables | string> {
  const { client } = useObjectStoreContext();
  const queryClient = useQueryClient();
  return useMutation<void, ObjectStoreError, DeleteObjectVariables | string>({
    mutationFn: (variables) => {
      const { key, cdn = false } = typeof variables === 'string' ? { key: variables } : variables;
      return client.delete(key, { cdn });
    },
    onSuccess: async (_, variables) => {
      const { key, cdn = false } = typeof variables === 'string' ? { key: variables } : variables;
      queryClient.setQueryData(metadataKeys.object(key, cdn), null);
      await queryClient.invalidateQueries({ queryKey: metadataKeys.key(key) });
    },
  });
}
