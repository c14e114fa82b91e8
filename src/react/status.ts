import type { DownloadStatus, UploadStatus } from './engine-types';

type Status = UploadStatus | DownloadStatus;

const SETTLED: ReadonlySet<Status> = new Set(['done', 'failed', 'canceled']);

/** Finished one way or another: nothing more will happen unless retried. */
export function isSettled(status: Status): boolean {
  return SETTLED.has(status);
}

/** Work is under way or waiting its turn (paused is neither). */
export function isActive(status: Status): boolean {
  return !SETTLED.has(status) && status !== 'paused';
}

export function canPause(status: Status): boolean {
  return status !== 'paused' && isActive(status) && status !== 'finalizing' && status !== 'verifying';
}

/** `[data-state]` value: the task status. */
export type { Status };
