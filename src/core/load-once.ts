/**
 * `load` run once and shared by every caller (a dynamic `import()` of code the page does not need at
 * first); a failed load (the network dropped) is tried again by the next caller.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
