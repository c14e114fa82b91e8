import { describe, expect, it, vi } from 'vitest';
import { ObjectStoreError } from './errors';
import { createRateGate } from './rate-gate';
import { createRetryPolicy } from './retry';
import { toObjectStoreError, withRetry } from './with-retry';

const fast = createRetryPolicy({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 });

function failing(errors: unknown[], result = 'ok') {
  return vi.fn(async () => {
    const next = errors.shift();
    if (next !== undefined) throw next;
    return result;
  });
}

describe('withRetry', () => {
  it('retries retryable errors up to the policy’s attempts, then throws the last one', async () => {
    const network = new ObjectStoreError('NETWORK', 'lost');
    const operation = failing([network, network, network, network]);
    await expect(withRetry(operation, { retry: fast, gate: createRateGate(), what: 'x' })).rejects.toBe(
      network,
    );
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('does not retry what is not retryable', async () => {
    const exists = new ObjectStoreError('OBJECT_EXISTS', 'exists', { status: 409 });
    const operation = failing([exists]);
    await expect(withRetry(operation, { retry: fast, gate: createRateGate(), what: 'x' })).rejects.toBe(
      exists,
    );
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('counts 429s apart from other failures, and shuts the gate for their Retry-After', async () => {
    const gate = createRateGate();
    const limited = new ObjectStoreError('TOO_MANY_REQUESTS', 'slow', { retryAfterSeconds: 0.01 });
    const network = new ObjectStoreError('NETWORK', 'lost');
    const operation = failing([network, limited, limited, network]);
    const before = Date.now();
    await expect(withRetry(operation, { retry: fast, gate, what: 'x' })).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(5);
    expect(gate.pausedUntil).toBeGreaterThanOrEqual(before + 10);
  });

  it('recovers (a fresh URL) at once, within a budget of its own', async () => {
    const expired = new ObjectStoreError('URL_EXPIRED', 'expired', { status: 403 });
    const recover = vi.fn(() => true);
    const operation = failing([expired, expired, expired, expired]);
    const options = {
      retry: createRetryPolicy({ maxAttempts: 1 }),
      gate: createRateGate(),
      what: 'x',
      recover,
    };
    await expect(withRetry(operation, options)).rejects.toBe(expired);
    expect(recover).toHaveBeenCalledTimes(3);
    expect(operation).toHaveBeenCalledTimes(4);
  });

  it('resets the failure counter when an attempt made progress', async () => {
    const network = new ObjectStoreError('NETWORK', 'lost');
    let calls = 0;
    const result = await withRetry(
      async ({ madeProgress }) => {
        calls += 1;
        if (calls < 6) {
          madeProgress();
          throw network;
        }
        return calls;
      },
      { retry: fast, gate: createRateGate(), what: 'x' },
    );
    expect(result).toBe(6);
  });

  it('stops with ABORTED when the signal fires during a wait', async () => {
    const controller = new AbortController();
    const slow = createRetryPolicy({ baseDelayMs: 60_000, maxDelayMs: 60_000 });
    const operation = failing([new ObjectStoreError('NETWORK', 'lost')]);
    const running = withRetry(operation, {
      retry: slow,
      gate: createRateGate(),
      what: 'x',
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(operation).toHaveBeenCalled());
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('toObjectStoreError', () => {
  it('keeps ours, wraps foreign errors as BACKEND with a cause, and maps AbortError', () => {
    const ours = new ObjectStoreError('NOT_FOUND', 'gone');
    expect(toObjectStoreError(ours, 'x')).toBe(ours);
    const foreign = new Error('boom');
    expect(toObjectStoreError(foreign, 'invoke')).toMatchObject({ code: 'BACKEND', cause: foreign });
    expect(toObjectStoreError(new DOMException('a', 'AbortError'), 'x').code).toBe('ABORTED');
  });
});
