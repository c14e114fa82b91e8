import { ObjectStoreError } from '../errors';
import type { DownloadOptions } from './types';

function invalid(message: string): ObjectStoreError {
  return new ObjectStoreError('INVALID_INPUT', message, { retryable: false });
}

/** Throws `INVALID_INPUT` for bad options; apart from the engine, so `client.download` can check them at once. */
export function validateDownload(key: string, options: DownloadOptions): void {
  if (typeof key !== 'string' || key.length === 0)
    throw invalid('download: `key` must be a non-empty string.');
  const { segmentSize, parallel } = options;
  if (segmentSize !== undefined && (!Number.isSafeInteger(segmentSize) || segmentSize < 1))
    throw invalid(`download: \`segmentSize\` must be a positive integer of bytes, not ${segmentSize}.`);
  if (parallel !== undefined && (!Number.isSafeInteger(parallel) || parallel < 1 || parallel > 32))
    throw invalid(`download: \`parallel\` must be an integer from 1 to 32, not ${parallel}.`);
  if (options.onObjectChanged !== undefined && !['fail', 'restart'].includes(options.onObjectChanged))
    throw invalid("download: `onObjectChanged` must be 'fail' or 'restart'.");
}
