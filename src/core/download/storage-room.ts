import { ObjectStoreError } from '../errors';

/**
 * The room for `size` bytes by the browser's own estimate when they do not fit in it; `undefined` when they
 * fit, or the browser gives no estimate. `reusable`: bytes already counted in the usage that the new ones
 * replace (the old content of the file they are written into).
 */
export async function roomShortOf(size: number, reusable = 0): Promise<number | undefined> {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    if (quota === undefined || usage === undefined) return undefined;
    const room = Math.max(0, quota - usage) + reusable;
    return size > room ? room : undefined;
  } catch {
    return undefined;
  }
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * An object that cannot fit is refused before its first byte is fetched: found by the browser's quota
 * mid-way, it costs the bytes already downloaded and tells the user less.
 */
export function doesNotFit(size: number, room: number): ObjectStoreError {
  return new ObjectStoreError(
    'INVALID_INPUT',
    `The object (${mib(size)}) does not fit in the browser's storage for this site (${mib(room)} free).`,
    { retryable: false },
  );
}
