// The figures the Node side of the browser benchmarks prints: MB/s is 10^6 bytes per second.

export const mbps = (bytes: number, ms: number) => bytes / 1e3 / ms;

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
