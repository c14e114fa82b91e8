/** React Query keys of the metadata cache. It holds `ObjectReference`s only, never pre-signed URLs. */
export const metadataKeys = {
  all: ['objectdrop', 'metadata'] as const,
  key: (key: string) => ['objectdrop', 'metadata', key] as const,
  object: (key: string, cdn = false) => ['objectdrop', 'metadata', key, { cdn }] as const,
};
