import { sleep } from '../retry';

/**
 * Shared pause after a 429: once the server says "slow down", every request that shares the gate waits,
 * not only the one that was refused.
 */
export interface RateGate {
  /** Resolves once no hold is in force. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Holds every waiter for `ms` from now (a longer hold in force is kept). */
  hold(ms: number): void;
}

export function createRateGate(now: () => number = Date.now): RateGate {
  let until = 0;
  return {
    async wait(signal) {
      for (let left = until - now(); left > 0; left = until - now()) await sleep(left, signal);
    },
    hold(ms) {
      until = Math.max(until, now() + ms);
    },
  };
}
