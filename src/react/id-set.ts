/** A set of ids as an external store: the ids of tasks the user removed from lists. */
export interface IdSet {
  has(id: string): boolean;
  add(ids: Iterable<string>): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): ReadonlySet<string>;
}

export function createIdSet(): IdSet {
  let ids: ReadonlySet<string> = new Set();
  const listeners = new Set<() => void>();
  return {
    has: (id) => ids.has(id),
    add(added) {
      const next = new Set(ids);
      for (const id of added) next.add(id);
      if (next.size === ids.size) return;
      ids = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => ids,
  };
}
