/** Bytes per second over a sliding window, so one slow chunk neither freezes nor spikes the figure. */
export class SpeedMeter {
  private samples: Array<{ at: number; loaded: number }> = [];

  constructor(private readonly windowMs = 3000) {}

  add(at: number, loaded: number): number {
    this.samples.push({ at, loaded });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = at - first.at;
    return elapsed < 200 ? 0 : ((loaded - first.loaded) * 1000) / elapsed;
  }

  /** After a pause the old samples would make the speed look low. */
  reset(): void {
    this.samples = [];
  }
}
