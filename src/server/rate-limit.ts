/** Fixed-window counters per installation: cheap, and exact enough for a development store. */
export function createRateLimiter(windowMs: number, max: number) {
  const windows = new Map<string, { start: number; count: number }>();
  let nextSweep = Number.NEGATIVE_INFINITY;
  return {
    /** Counts `count` requests (1); returns the seconds to wait when over the limit, else `undefined`. */
    hit(installation: string, nowMs: number, count = 1): number | undefined {
      // Many made-up installation ids must not grow the map for ever. At most one sweep per window:
      // with more live ids than the threshold, sweeping on every request would scan them all each time.
      if (windows.size > 10_000 && nowMs >= nextSweep) {
        nextSweep = nowMs + windowMs;
        for (const [id, old] of windows) if (nowMs - old.start >= windowMs) windows.delete(id);
      }
      let window = windows.get(installation);
      if (!window || nowMs - window.start >= windowMs) {
        window = { start: nowMs, count: 0 };
        windows.set(installation, window);
      }
      window.count += count;
      if (window.count <= max) return undefined;
      return Math.max(1, Math.ceil((window.start + windowMs - nowMs) / 1000));
    },
    reset(): void {
      windows.clear();
      nextSweep = Number.NEGATIVE_INFINITY;
    },
  };
}
