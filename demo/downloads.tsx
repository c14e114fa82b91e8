import {
  defaultMessages,
  formatBytes,
  formatDuration,
  formatPercent,
  formatSpeed,
  ProgressBar,
  useDownload,
} from 'objectdrop/react';
import { useId } from 'react';

/** Every download of the client (the Download buttons start them), with pause and resume. */
export function Downloads() {
  const { items, pause, resume, cancel, retry, remove } = useDownload();
  const headingId = useId();
  if (items.length === 0) return null;
  return (
    <section className="demo-panel" aria-labelledby={headingId} data-testid="downloads">
      <h2 id={headingId}>Downloads</h2>
      <ul className="demo-downloads">
        {items.map((item) => {
          const value = item.progress ?? 0;
          const text = [
            `${formatPercent(value)}, ${formatBytes(item.loaded)} of ${formatBytes(item.total ?? 0)}`,
            item.status === 'downloading' && item.speed > 0 ? formatSpeed(item.speed) : undefined,
            item.status === 'downloading' && item.etaSeconds !== undefined
              ? `${formatDuration(item.etaSeconds)} left`
              : undefined,
          ]
            .filter(Boolean)
            .join(', ');
          const state =
            item.status === 'failed' && item.error
              ? (defaultMessages.errors[item.error.code] ?? item.error.message)
              : defaultMessages.downloadStatus[item.status];
          const running = !['done', 'failed', 'canceled', 'paused'].includes(item.status);
          return (
            <li key={item.id} data-state={item.status} data-error={item.error?.code}>
              <strong>{item.name}</strong>
              <ProgressBar
                value={value}
                label={`Download of ${item.name}`}
                valueText={text}
                state={item.status}
              />
              <p>
                {state} · {text}
              </p>
              <div className="demo-actions">
                {running && item.status !== 'verifying' && (
                  <button
                    type="button"
                    aria-label={`Pause download of ${item.name}`}
                    onClick={() => pause(item.id)}
                  >
                    Pause
                  </button>
                )}
                {item.status === 'paused' && (
                  <button
                    type="button"
                    aria-label={`Resume download of ${item.name}`}
                    onClick={() => resume(item.id)}
                  >
                    Resume
                  </button>
                )}
                {(running || item.status === 'paused') && (
                  <button
                    type="button"
                    aria-label={`Cancel download of ${item.name}`}
                    onClick={() => cancel(item.id)}
                  >
                    Cancel
                  </button>
                )}
                {item.status === 'failed' && (
                  <button
                    type="button"
                    aria-label={`Retry download of ${item.name}`}
                    onClick={() => retry(item.id)}
                  >
                    Retry
                  </button>
                )}
                {!running && item.status !== 'paused' && (
                  <button
                    type="button"
                    aria-label={`Remove download of ${item.name}`}
                    onClick={() => remove(item.id)}
                  >
                    Remove
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
