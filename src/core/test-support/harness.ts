import { vi } from 'vitest';
import { createObjectStore, type ObjectStoreClientOptions } from '../client';
import type { UploadSnapshot } from '../upload/state';
import type { UploadTask } from '../upload/task';
import { createFakeBackend, nodeHasher } from './fake-backend';
import { createScriptedTransport, type ScriptedRequest } from './scripted-transport';

/** A client over the fake backend and a scripted transport; fast retries unless told otherwise. */
export function createHarness(options: Partial<ObjectStoreClientOptions> = {}) {
  const fake = createFakeBackend();
  const transport = createScriptedTransport();
  const hasher = vi.fn(nodeHasher);
  const client = createObjectStore({
    backend: fake.backend,
    transport,
    hasher,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  let stopped = false;
  /** Answers every request as the store would, or by `script` when it returns true (handled). */
  function serve(script?: (request: ScriptedRequest, index: number) => boolean | undefined) {
    void (async () => {
      for (let index = 0; !stopped; index += 1) {
        const request = await transport.next();
        if (!script?.(request, index)) await fake.serve(request);
      }
    })();
  }
  return {
    fake,
    transport,
    hasher,
    client,
    serve,
    stop: () => {
      stopped = true;
    },
  };
}

/** Every status a task passes through, from now on. */
export function recordStatuses(task: UploadTask): UploadSnapshot['status'][] {
  const seen: UploadSnapshot['status'][] = [task.getSnapshot().status];
  task.subscribe(() => {
    const { status } = task.getSnapshot();
    if (seen[seen.length - 1] !== status) seen.push(status);
  });
  return seen;
}

/** Resolves once the task's snapshot satisfies `predicate`. */
export function until(
  task: UploadTask,
  predicate: (snapshot: UploadSnapshot) => boolean,
): Promise<UploadSnapshot> {
  return new Promise((resolve) => {
    if (predicate(task.getSnapshot())) return resolve(task.getSnapshot());
    const unsubscribe = task.subscribe(() => {
      if (!predicate(task.getSnapshot())) return;
      unsubscribe();
      resolve(task.getSnapshot());
    });
  });
}

export function fileOf(text: string, name = 'file.txt', type = 'text/plain'): File {
  return new File([text], name, { type });
}
