import { createTaskList, type TaskList } from '../task-list';
import type { UploadSnapshot } from './state';
import type { UploadTask } from './task';

/** The client's live list of uploads, with one snapshot array rebuilt only on change. */
export type UploadList = TaskList<UploadTask, UploadSnapshot>;

export function createUploadList(): UploadList {
  return createTaskList<UploadTask, UploadSnapshot>();
}
