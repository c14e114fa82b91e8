import { defaultMessages, ProgressBar, useDownload } from 'objectdrop/react';
import { useId } from 'react';
import { transferText } from './transfer-text';

/** A button whose accessible name says which download it acts on. */
function Action({ label, name, onClick }: { label: string; name: string; onClick: () => void }) {
  return (
    <button type="button" aria-label={`${label} download of ${name}`} onClick={onClick}>
      {label}
    </button>
  );
}

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
          const text = transferText(
            value,
            item.loaded,
            item.total,
            item.status === 'downloading' ? { speed: item.speed, secondsLeft: item.etaSeconds } : undefined,
          );
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
                  <Action label="Pause" name={item.name} onClick={() => pause(item.id)} />
                )}
                {item.status === 'paused' && (
                  <Action label="Resume" name={item.name} onClick={() => resume(item.id)} />
                )}
                {(running || item.status === 'paused') && (
                  <Action label="Cancel" name={item.name} onClick={() => cancel(item.id)} />
                )}
                {item.status === 'failed' && (
                  <Action label="Retry" name={item.name} onClick={() => retry(item.id)} />
                )}
                {!running && item.status !== 'paused' && (
                  <Action label="Remove" name={item.name} onClick={() => remove(item.id)} />
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
