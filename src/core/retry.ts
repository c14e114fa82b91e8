import { isObjectStoreError, type ObjectStoreError } from './errors';

/** How failed requests are retried. One policy serves uploads, downloads and API calls. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default `6`. The counter resets after progress. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled on each further one. Default `500` ms. */
  baseDelayMs?: number;
  /** Upper bound of one delay (a server's `Retry-After` may exceed it). Default `30000` ms. */
  maxDelayMs?: number;
  /** Override the decision: return `true`/`false` to force it, `undefined` for the default. */
  shouldRetry?: (error: ObjectStoreError, attempt: number) => boolean | undefined;
}

export interface RetryPolicy {
  /** Milliseconds to wait before the next attempt, or `undefined` to give up. `attempt` counts from 1. */
  delayBeforeRetry(error: unknown, attempt: number): number | undefined;
}

/** Full-jitter exponential backoff; `Retry-After` is honoured as a floor. Pure but for `random`. */
export function createRetryPolicy(
  options: RetryOptions = {},
  random: () => number = Math.random,
): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  return {
    delayBeforeRetry(error, attempt) {
      if (!isObjectStoreError(error) || error.code === 'ABORTED') return undefined;
      const forced = options.shouldRetry?.(error, attempt);
      if (forced === false || attempt >= maxAttempts) return undefined;
      if (forced !== true && !error.retryable) return undefined;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1));
      const jittered = backoff / 2 + (random() * backoff) / 2;
      const floor = error.retryAfterSeconds === undefined ? 0 : error.retryAfterSeconds * 1000;
      return Math.max(floor, jittered);
    },
  };
}

/** A sleep that ends early, rejecting, when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
