import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('createRateLimiter', () => {
  it('counts per installation per window and says how long to wait', () => {
    const limiter = createRateLimiter(60_000, 2);
    expect(limiter.hit('a', 0)).toBeUndefined();
    expect(limiter.hit('a', 1000)).toBeUndefined();
    expect(limiter.hit('a', 15_000)).toBe(45);
    expect(limiter.hit('b', 15_000)).toBeUndefined();
    expect(limiter.hit('a', 60_000)).toBeUndefined();
  });

  it('keeps counting right while it sweeps more than 10,000 installations', () => {
    const limiter = createRateLimiter(1000, 1);
    for (let id = 0; id < 10_001; id++) limiter.hit(`old-${id}`, 0);
    expect(limiter.hit('a', 500)).toBeUndefined();
    expect(limiter.hit('a', 600)).toBe(1);
    // Past the window the old ids are swept; a's window has run out and starts again.
    expect(limiter.hit('a', 1500)).toBeUndefined();
    expect(limiter.hit('old-1', 1600)).toBeUndefined();
    expect(limiter.hit('old-1', 1700)).toBe(1);
  });

  it('forgets every count on reset', () => {
    const limiter = createRateLimiter(60_000, 1);
    limiter.hit('a', 0);
    expect(limiter.hit('a', 1)).toBe(60);
    limiter.reset();
    expect(limiter.hit('a', 2)).toBeUndefined();
  });
});
