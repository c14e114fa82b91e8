import { formatBytes, formatDuration, formatPercent, formatSpeed } from 'objectdrop/react';

/** "34%, 12 MB of 35 MB, 2.5 MB/s, 8 sec left": the speed and time left only while bytes move. */
export function transferText(
  fraction: number,
  loaded: number,
  total: number,
  moving: { speed: number; secondsLeft: number | undefined } | undefined,
): string {
  return [
    `${formatPercent(fraction)}, ${formatBytes(loaded)} of ${formatBytes(total)}`,
    moving && moving.speed > 0 ? formatSpeed(moving.speed) : undefined,
    moving && moving.secondsLeft !== undefined ? `${formatDuration(moving.secondsLeft)} left` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}
