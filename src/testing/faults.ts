import { abortError, ObjectStoreError } from '../core/errors';
import type { FaultSettings } from '../core/faults';
import { sleep } from '../core/retry';

/**
 * Faults the in-memory store injects: the local object store's (`FaultSettings`), with two more.
 * Its `corruptDownload` flips the byte at the middle of the object; `urlTtlSeconds` defaults to 3600.
 */
export interface MemoryFaults extends FaultSettings {
  /** Simulated bandwidth of PUT and GET bodies. Default unlimited. */
  bytesPerSecond?: number;
  /** Flip one byte of every PUT body on arrival, so the PUT fails with `CHECKSUM_MISMATCH`. */
  corruptUpload?: boolean;
}

/** A patch of `MemoryFaults`: `undefined` or `null` switches a fault off (the local store's admin API uses `null`). */
export type MemoryFaultPatch = { [K in keyof MemoryFaults]?: MemoryFaults[K] | null };

/** The faults in force plus the counter `dropCount` runs down. */
export class FaultState {
  private faults: MemoryFaults;
  private dropsLeft: number;

  constructor(
    private readonly initial: MemoryFaults,
    private readonly random: () => number,
  ) {
    this.faults = { ...initial };
    this.dropsLeft = initial.dropCount ?? Number.POSITIVE_INFINITY;
  }

  get current(): Readonly<MemoryFaults> {
    return this.faults;
  }

  /** Merges `patch`; a key set to `undefined` or `null` switches that fault off. Setting `dropCount` re-arms it. */
  set(patch: MemoryFaultPatch): void {
    const next: Record<string, unknown> = { ...this.faults };
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined || value === null) delete next[name];
      else next[name] = value;
    }
    this.faults = next as MemoryFaults;
    if ('dropCount' in patch) this.dropsLeft = patch.dropCount ?? Number.POSITIVE_INFINITY;
  }

  reset(): void {
    this.faults = { ...this.initial };
    this.dropsLeft = this.initial.dropCount ?? Number.POSITIVE_INFINITY;
  }

  /** Whether a transfer of `total` bytes is cut, and after how many. Uses up one drop. */
  takeDrop(limit: number | undefined, total: number): number | undefined {
    if (limit === undefined || limit >= total || this.dropsLeft <= 0) return undefined;
    this.dropsLeft -= 1;
    return Math.max(0, limit);
  }

  /** The injected failure for this request, if the dice say so: 429 first, then 5xx. */
  rollFailure(): ObjectStoreError | undefined {
    const { rateLimitRate = 0, errorRate = 0 } = this.faults;
    if (rateLimitRate > 0 && this.random() < rateLimitRate) {
      const retryAfterSeconds = this.faults.retryAfterSeconds ?? 1;
      return new ObjectStoreError('TOO_MANY_REQUESTS', 'Injected fault: rate limited.', {
        status: 429,
        retryAfterSeconds,
      });
    }
    if (errorRate > 0 && this.random() < errorRate) {
      return new ObjectStoreError('BACKEND', 'Injected fault: service unavailable.', { status: 503 });
    }
    return undefined;
  }

  /** Waits for the configured latency; aborting rejects with `ABORTED`. */
  async latency(signal?: AbortSignal, ms = this.faults.latencyMs ?? 0): Promise<void> {
    if (signal?.aborted) throw abortError(signal.reason);
    if (ms <= 0) return;
    try {
      await sleep(ms, signal);
    } catch {
      throw abortError(signal?.reason);
    }
  }

  /** Time a body chunk of `bytes` takes under `bytesPerSecond`. */
  bandwidthDelay(bytes: number, bytesPerSecond = this.faults.bytesPerSecond): number {
    return bytesPerSecond && bytesPerSecond > 0 ? (bytes / bytesPerSecond) * 1000 : 0;
  }

  /** Time a GET body chunk of `bytes` takes: `downloadBytesPerSecond` where set, else `bytesPerSecond`. */
  downloadDelay(bytes: number): number {
    return this.bandwidthDelay(bytes, this.faults.downloadBytesPerSecond ?? this.faults.bytesPerSecond);
  }

  /** An upload step: its bandwidth time plus its share of the latency, so progress moves visibly. */
  uploadStepDelay(bytes: number, steps: number): number {
    return (this.faults.latencyMs ?? 0) / Math.max(1, steps) + this.bandwidthDelay(bytes);
  }
}
