import { sleep } from './retry';

/**
 * The store limits requests per installation, not per file: one 429 pauses every request of the
 * client (uploads, downloads, API calls) until its `Retry-After` has passed, then all go on by
 * themselves. One gate per client.
 */
export interface RateGate {
  /** Resolves at once when open, else when the pause ends; rejects when `signal` fires. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Keeps the gate shut for at least `ms` from now (pauses never shorten one another). */
  pauseFor(ms: number): void;
  /** Epoch ms until which the gate is shut; in the past when open. */
  readonly pausedUntil: number;
}

export function createRateGate(now: () => number = Date.now): RateGate {
  let until = 0;
  return {
    async wait(signal) {
      for (let left = until - now(); left > 0; left = until - now()) await sleep(left, signal);
      if (signal?.aborted) throw signal.reason;
    },
    pauseFor(ms) {
      until = Math.max(until, now() + ms);
    },
    get pausedUntil() {
      return until;
    },
  };
}
