import { isObjectStoreError, type ObjectStoreError } from '../../errors';
import type { DownloadTask } from '../types';

/** The error a task's `done` rejects with; throws if it resolves or rejects with anything else. */
export async function failure(task: DownloadTask): Promise<ObjectStoreError> {
  try {
    await task.done;
  } catch (error) {
    if (isObjectStoreError(error)) return error;
    throw error;
  }
  throw new Error('the download did not fail');
}
