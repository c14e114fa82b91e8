import { createRateGate, type RateGate } from './rate-gate';
import { createRetryPolicy, type RetryOptions, type RetryPolicy } from './retry';
import { selectTransport } from './transport/select';
import type { Transport } from './transport/types';
import type { ChecksumType, ObjectStoreBackend } from './types';
import { type WithRetryOptions, withRetry } from './with-retry';

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far. */
  onProgress?: (hashedBytes: number) => void;
}

/** Digest of a Blob as base64, like `computeChecksum`. Injectable for tests and other runtimes. */
export type Hasher = (blob: Blob, type: ChecksumType, options?: HashOptions) => Promise<string>;

/** What every task of one client shares. Holds no URL: pre-signed URLs live only inside a task. */
export interface EngineContext {
  readonly backend: ObjectStoreBackend;
  readonly transport: Transport;
  readonly retry: RetryPolicy;
  /** Shut by a 429 for every request of the client. */
  readonly gate: RateGate;
  readonly hasher: Hasher;
  readonly now: () => number;
  /** How long a fresh pre-signed URL is trusted (the seed's URLs live 1 hour). */
  readonly urlLifetimeMs: number;
}

export interface EngineContextOptions {
  backend: ObjectStoreBackend;
  transport?: Transport;
  retry?: RetryOptions | RetryPolicy;
  hasher: Hasher;
  now?: () => number;
  urlLifetimeMs: number;
}

export function createEngineContext(options: EngineContextOptions): EngineContext {
  const now = options.now ?? Date.now;
  const retry = options.retry;
  return {
    backend: options.backend,
    transport: selectTransport(options.transport, options.backend),
    retry: retry && 'delayBeforeRetry' in retry ? retry : createRetryPolicy(retry),
    gate: createRateGate(now),
    hasher: options.hasher,
    now,
    urlLifetimeMs: options.urlLifetimeMs,
  };
}

/** A backend call through the client's retry policy and rate gate, its failures as `ObjectStoreError`. */
export function callBackend<T>(
  context: EngineContext,
  what: string,
  call: (signal: AbortSignal | undefined) => Promise<T>,
  options: Partial<Pick<WithRetryOptions, 'signal' | 'onRetry'>> = {},
): Promise<T> {
  return withRetry(() => call(options.signal), {
    retry: context.retry,
    gate: context.gate,
    what,
    ...options,
  });
}
