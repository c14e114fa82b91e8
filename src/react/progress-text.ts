import type { TransferSnapshot } from './engine-types';
import { formatBytes, formatDuration, formatPercent, transferProgress } from './format';
import type { Messages } from './messages';

/** The readable value of a transfer's progress bar, e.g. "34%, 12 MB of 35 MB, 8 sec left". */
export function progressText(
  snapshot: TransferSnapshot<string>,
  messages: Messages,
  locale: string | undefined,
): string {
  const fraction = transferProgress(snapshot) ?? 0;
  const moving = snapshot.status === 'uploading' || snapshot.status === 'downloading';
  const eta = snapshot.etaSeconds;
  return messages.progressText({
    percent: formatPercent(fraction, locale),
    loaded: formatBytes(
      snapshot.status === 'done' ? (snapshot.total ?? snapshot.loaded) : snapshot.loaded,
      locale,
    ),
    total: snapshot.total === undefined ? undefined : formatBytes(snapshot.total, locale),
    timeLeft:
      moving && eta !== undefined && Number.isFinite(eta) && eta > 0
        ? formatDuration(eta, locale)
        : undefined,
  });
}
