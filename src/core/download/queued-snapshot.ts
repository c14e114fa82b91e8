import type { DownloadSnapshot } from './types';

/** Where every download starts, before and after the engine loads (snapshots are replaced, never changed). */
export const QUEUED_SNAPSHOT: DownloadSnapshot = Object.freeze({
  status: 'queued',
  loaded: 0,
  total: 0,
  bytesPerSecond: 0,
  etaSeconds: undefined,
  fetched: 0,
});

/** The name a saved file gets when the caller gives none: the key's last segment. */
export function defaultFileName(key: string): string {
  return key.split('/').pop() ?? key;
}
