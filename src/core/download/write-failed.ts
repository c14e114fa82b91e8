import { ObjectStoreError } from '../errors';

/**
 * A target that refused bytes, as `INVALID_INPUT` (retrying will not help). A full origin storage says
 * so: a download to a picked file needs room there for its staged copy.
 */
export function writeFailed(
  cause: unknown,
  what = 'Could not write to the download target.',
): ObjectStoreError {
  const full = (cause as { name?: string } | undefined)?.name === 'QuotaExceededError';
  return new ObjectStoreError(
    'INVALID_INPUT',
    full
      ? "The browser's storage for this site is full: the download does not fit (a download to a picked file needs room for a staged copy)."
      : what,
    { cause, retryable: false },
  );
}
