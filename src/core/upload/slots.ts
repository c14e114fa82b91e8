import { abortError } from '../errors';

export type Release = () => void;

/**
 * A FIFO semaphore: at most `limit` holders at once, waiters served in arrival order. A waiter
 * whose signal fires leaves the line without taking a slot. With `refillAt` below `limit - 1`, once
 * every slot is taken the next ones are handed out only after holders drop to `refillAt`, and then
 * together (work that is cheaper in groups, like reading small files to hash, starts in groups).
 */
export interface Slots {
  acquire(signal?: AbortSignal): Promise<Release>;
  readonly active: number;
  readonly waiting: number;
  /** A slot is free now: `acquire` would resolve at once. */
  readonly free: boolean;
}

export function createSlots(limit: number, refillAt = limit - 1): Slots {
  let active = 0;
  // Set when all slots are taken; cleared once `refillAt` or fewer are, so waiters start in groups.
  let full = false;
  const line: Array<{ grant: () => void }> = [];

  function take(): void {
    active += 1;
    if (active >= limit) full = true;
  }

  function releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      if (active <= refillAt) full = false;
      while (!full && line.length > 0) {
        take();
        line.shift()!.grant();
      }
    };
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal.reason));
      if (!full && line.length === 0) {
        take();
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
      return !full && line.length === 0;
    },
  };
}
