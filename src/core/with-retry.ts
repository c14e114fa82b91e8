import { abortError, isObjectStoreError, ObjectStoreError } from './errors';
import type { RateGate } from './rate-gate';
import { type RetryPolicy, sleep } from './retry';

/** Any failure as an `ObjectStoreError`; a custom backend's own errors become `BACKEND` with `cause`. */
export function toObjectStoreError(error: unknown, what: string, signal?: AbortSignal): ObjectStoreError {
  if (signal?.aborted) return isAbort(error) ? asAbort(error, signal) : abortError(signal.reason);
  if (isObjectStoreError(error)) return error;
  if (isAbort(error)) return abortError(error);
  const detail = error instanceof Error && error.message ? `: ${error.message}` : '.';
  return new ObjectStoreError('BACKEND', `${what} failed${detail}`, { cause: error });
}

function isAbort(error: unknown): boolean {
  return (
    (isObjectStoreError(error) && error.code === 'ABORTED') ||
    (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError')
  );
}

function asAbort(error: unknown, signal: AbortSignal): ObjectStoreError {
  return isObjectStoreError(error) && error.code === 'ABORTED' ? error : abortError(signal.reason);
}

export interface AttemptContext {
  /** 1 for the first attempt of this operation. */
  attempt: number;
  /** Call when the attempt kept something (bytes a Range resume will not fetch again): resets the counter. */
  madeProgress(): void;
}

export interface WithRetryOptions {
  retry: RetryPolicy;
  gate: RateGate;
  signal?: AbortSignal;
  /** Names the operation in messages of wrapped errors. */
  what: string;
  /**
   * Errors this returns `true` for are retried at once and count against their own small budget
   * (a fresh URL after `URL_EXPIRED`: the failure says nothing about the network).
   */
  recover?: (error: ObjectStoreError) => boolean;
  /** Told before each wait, so a task can show "retrying in …". */
  onRetry?: (error: ObjectStoreError, delayMs: number, attempt: number) => void;
}

const MAX_RECOVERIES = 3;

/**
 * Runs `operation` until it succeeds or the policy gives up. Every attempt first waits at the
 * client's rate gate; a 429 shuts the gate for everyone (its `Retry-After`, else the policy's
 * delay) and is counted apart from other failures, so a storm of 429s does not eat the budget
 * meant for broken networks.
 */
export async function withRetry<T>(
  operation: (context: AttemptContext) => Promise<T>,
  options: WithRetryOptions,
): Promise<T> {
  const { signal } = options;
  let failures = 0;
  let rateLimited = 0;
  let recoveries = 0;
  for (;;) {
    try {
      await options.gate.wait(signal);
      const context: AttemptContext = {
        attempt: failures + 1,
        madeProgress: () => {
          failures = 0;
        },
      };
      return await operation(context);
    } catch (caught) {
      const error = toObjectStoreError(caught, options.what, signal);
      if (error.code === 'ABORTED') throw error;
      if (options.recover && recoveries < MAX_RECOVERIES && options.recover(error)) {
        recoveries += 1;
        continue;
      }
      if (error.code === 'TOO_MANY_REQUESTS') {
        rateLimited += 1;
        const delay = options.retry.delayBeforeRetry(error, rateLimited);
        if (delay === undefined) throw error;
        options.gate.pauseFor(delay);
        options.onRetry?.(error, delay, rateLimited);
        continue;
      }
      failures += 1;
      const delay = options.retry.delayBeforeRetry(error, failures);
      if (delay === undefined) throw error;
      options.onRetry?.(error, delay, failures);
      try {
        await sleep(delay, signal);
      } catch (reason) {
        throw abortError(reason);
      }
    }
  }
}
