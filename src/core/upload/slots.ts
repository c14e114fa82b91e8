import { abortError } from '../errors';

export type Release = () => void;

/**
 * A FIFO semaphore: at most `limit` holders at once, waiters served in arrival order. A waiter
 * whose signal fires leaves the line without taking a slot.
 */
export interface Slots {
  acquire(signal?: AbortSignal): Promise<Release>;
  readonly active: number;
  readonly waiting: number;
  /** A slot is free now: `acquire` would resolve at once. */
  readonly free: boolean;
}

export function createSlots(limit: number): Slots {
  let active = 0;
  const line: Array<{ grant: () => void }> = [];

  function releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      const next = line.shift();
      if (next) {
        active += 1;
        next.grant();
      }
    };
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal.reason));
      if (active < limit) {
        active += 1;
        return Promise.resolve(releaser());
      }
      return new Promise<Release>((resolve, reject) => {
        const entry = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(releaser());
          },
        };
        const onAbort = () => {
          const at = line.indexOf(entry);
          if (at >= 0) line.splice(at, 1);
          reject(abortError(signal?.reason));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        line.push(entry);
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return line.length;
    },
    get free() {
      return active < limit;
    },
  };
}
