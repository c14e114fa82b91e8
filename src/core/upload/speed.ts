/** Speed over a sliding window: XHR reports every ~50–100 ms, so one sample alone would jitter. */
const WINDOW_MS = 3000;
/** Below this span a rate is noise (and a 0 ms span is a division by zero). */
const MIN_SPAN_MS = 250;

export interface SpeedMeter {
  /** Records `loaded` at time `at`; returns bytes per second over the window, 0 until it is known. */
  sample(loaded: number, at: number): number;
  /** Starts a new window at `at`, from `loaded` bytes (a resumed transfer keeps what it had). */
  reset(at: number, loaded?: number): void;
}

export function createSpeedMeter(): SpeedMeter {
  let samples: Array<{ at: number; loaded: number }> = [];
  return {
    sample(loaded, at) {
      samples.push({ at, loaded });
      while (samples.length > 2 && samples[1]!.at <= at - WINDOW_MS) samples.shift();
      const first = samples[0]!;
      const span = at - first.at;
      return span < MIN_SPAN_MS ? 0 : ((loaded - first.loaded) * 1000) / span;
    },
    reset(at, loaded = 0) {
      samples = [{ at, loaded }];
    },
  };
}
