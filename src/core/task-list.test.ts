import { describe, expect, it } from 'vitest';
import { createTaskList } from './task-list';

function fakeTask(status: string) {
  let snapshot = { status };
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => snapshot,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: string) {
      snapshot = { status: next };
      for (const listener of listeners) listener();
    },
  };
}

describe('createTaskList', () => {
  it('gives the same snapshot array until a task changes, then a new one with its new snapshot', () => {
    const list = createTaskList<ReturnType<typeof fakeTask>, { status: string }>();
    const a = fakeTask('queued');
    const b = fakeTask('queued');
    list.add(a);
    list.add(b);
    const first = list.getSnapshot();
    expect(first.map((s) => s.status)).toEqual(['queued', 'queued']);
    expect(list.getSnapshot()).toBe(first);
    b.set('uploading');
    const second = list.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.map((s) => s.status)).toEqual(['queued', 'uploading']);
    expect(first.map((s) => s.status)).toEqual(['queued', 'queued']);
    expect(list.getSnapshot()).toBe(second);
  });

  it('tells its listeners of every change, and stops listening to cleared tasks', () => {
    const list = createTaskList<ReturnType<typeof fakeTask>, { status: string }>();
    const a = fakeTask('queued');
    const b = fakeTask('queued');
    list.add(a);
    list.add(b);
    let calls = 0;
    const stop = list.subscribe(() => {
      calls += 1;
    });
    a.set('done');
    b.set('uploading');
    expect(calls).toBe(2);
    list.clearFinished();
    expect(calls).toBe(3);
    expect(list.tasks).toEqual([b]);
    a.set('failed');
    expect(calls).toBe(3);
    stop();
    b.set('done');
    expect(calls).toBe(3);
    expect(list.getSnapshot().map((s) => s.status)).toEqual(['done']);
  });
});
