import { describe, expect, it } from 'vitest';
import { ObjectStoreError } from './errors';
import { createRetryPolicy, sleep } from './retry';

const midpoint = () => 0.5;

describe('createRetryPolicy', () => {
  it('backs off exponentially with jitter between half and all of the step', () => {
    const low = createRetryPolicy({ baseDelayMs: 100 }, () => 0);
    const high = createRetryPolicy({ baseDelayMs: 100 }, () => 0.999999);
    const error = new ObjectStoreError('NETWORK', 'lost');
    expect(low.delayBeforeRetry(error, 1)).toBe(50);
    expect(low.delayBeforeRetry(error, 3)).toBe(200);
    expect(high.delayBeforeRetry(error, 3)).toBeCloseTo(400, 0);
  });

  it('caps the delay but lets Retry-After exceed the cap', () => {
    const policy = createRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 2000 }, midpoint);
    expect(policy.delayBeforeRetry(new ObjectStoreError('BACKEND', 'x', { status: 503 }), 5)).toBe(1500);
    const limited = new ObjectStoreError('TOO_MANY_REQUESTS', 'slow down', {
      status: 429,
      retryAfterSeconds: 7,
    });
    expect(policy.delayBeforeRetry(limited, 1)).toBe(7000);
  });

  it('gives up on non-retryable errors, aborts, foreign errors and after maxAttempts', () => {
    const policy = createRetryPolicy({ maxAttempts: 3 }, midpoint);
    expect(
      policy.delayBeforeRetry(new ObjectStoreError('CHECKSUM_MISMATCH', 'bad', { status: 400 }), 1),
    ).toBe(undefined);
    expect(policy.delayBeforeRetry(new ObjectStoreError('ABORTED', 'stop'), 1)).toBe(undefined);
    expect(policy.delayBeforeRetry(new Error('not ours'), 1)).toBe(undefined);
    const network = new ObjectStoreError('NETWORK', 'lost');
    expect(policy.delayBeforeRetry(network, 2)).toBeGreaterThan(0);
    expect(policy.delayBeforeRetry(network, 3)).toBe(undefined);
  });

  it('lets shouldRetry force either decision', () => {
    const policy = createRetryPolicy({
      shouldRetry: (error) => error.code === 'OBJECT_EXISTS',
    });
    expect(
      policy.delayBeforeRetry(new ObjectStoreError('OBJECT_EXISTS', 'x', { status: 409 }), 1),
    ).toBeGreaterThan(0);
    expect(policy.delayBeforeRetry(new ObjectStoreError('NETWORK', 'x'), 1)).toBe(undefined);
  });
});

describe('sleep', () => {
  it('rejects with the reason as soon as its signal fires', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new ObjectStoreError('ABORTED', 'stop'));
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
