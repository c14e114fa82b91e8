// The benchmark pages' main-thread meter, shared so the checksum and upload figures measure the same thing.

/**
 * Until `stop()`: the longest gap between ticks of a 10 ms timer (how long the main thread could not
 * answer; on a loaded machine that includes time the renderer was not scheduled at all), and the main
 * thread's own long tasks (≥ 50 ms), which only code on it causes.
 */
export function watchGaps(): { stop(): { longestGap: number; longTasks: number } } {
  let last = performance.now();
  let longestGap = 0;
  let longTasks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  const observer = new PerformanceObserver((list) => {
    longTasks += list.getEntries().length;
  });
  observer.observe({ type: 'longtask' });
  return {
    stop() {
      clearInterval(timer);
      observer.disconnect();
      return { longestGap, longTasks };
    },
  };
}
