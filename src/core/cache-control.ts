import type { FaultSettings } from './faults';

/**
 * `Cache-Control` of a pre-signed download URL's answer. Nothing gains from caching a one-hour URL, and
 * `no-store` is what makes Chromium leave a fetch body in the connection until it is read; without it
 * Blink reads ahead into the page's memory as fast as the network goes (BufferingBytesConsumer).
 */
export const DOWNLOAD_CACHE_CONTROL = 'private, no-store';

/** Whether an answer's `Cache-Control` has `no-store`: only then does Chromium leave its body in the connection. */
export function isNoStore(cacheControl: string | null): boolean {
  return /(^|[\s,])no-store([\s,]|$)/i.test(cacheControl ?? '');
}

/**
 * What the local store and the memory transport answer: CDN URLs (`cacheSeconds`) are public and cached,
 * download URLs `DOWNLOAD_CACHE_CONTROL`, or `no-cache` under the `cacheableDownloads` fault.
 */
export function downloadCacheControl(cacheSeconds: number | undefined, faults: FaultSettings): string {
  if (cacheSeconds !== undefined) return `public, max-age=${cacheSeconds}`;
  return faults.cacheableDownloads ? 'private, no-cache' : DOWNLOAD_CACHE_CONTROL;
}
