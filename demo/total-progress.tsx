import { defaultMessages, ProgressBar, useUpload } from 'objectdrop/react';
import { useId } from 'react';
import { transferText } from './transfer-text';

/** All uploads together: one bar, speed, time left, counts, and bulk actions. */
export function TotalProgress() {
  const { items, progress, isUploading, clear, retry, cancel } = useUpload();
  const headingId = useId();
  if (items.length === 0) return null;
  const live = items.filter((item) => item.status !== 'canceled');
  const loaded = live.reduce((sum, item) => sum + item.loaded, 0);
  const total = live.reduce((sum, item) => sum + item.total, 0);
  const speed = live.reduce((sum, item) => sum + (item.status === 'uploading' ? item.speed : 0), 0);
  const left = speed > 0 ? (total - loaded) / speed : undefined;
  const count = (status: string) => items.filter((item) => item.status === status).length;
  // The core snapshot says when a task waits to retry, and why (a 429, an expired URL, a drop).
  const waiting = items.flatMap((item) => (item.retry && item.status !== 'failed' ? [item.retry.error] : []));
  const failed = items.filter((item) => item.status === 'failed');
  const running = items.filter((item) => !['done', 'failed', 'canceled'].includes(item.status));
  const summary = transferText(
    progress,
    loaded,
    total,
    isUploading ? { speed, secondsLeft: left } : undefined,
  );
  return (
    <section className="demo-total" aria-labelledby={headingId} data-testid="total-progress">
      <h3 id={headingId}>All uploads</h3>
      <ProgressBar value={progress} label="All uploads" valueText={summary} />
      <p>
        <span data-field="summary">{summary}</span>
        {' · '}
        <span data-field="done">{count('done')} done</span>
        {' · '}
        <span data-field="failed">{failed.length} failed</span>
        {' · '}
        <span data-field="active">{running.length} in progress</span>
      </p>
      {waiting.length > 0 && (
        <p data-testid="retrying" className="demo-retrying">
          Recovering: {waiting.length} waiting to retry (
          {[...new Set(waiting.map((error) => defaultMessages.errors[error.code] ?? error.message))].join(
            ' ',
          )}
          )
        </p>
      )}
      <div className="demo-actions">
        {failed.length > 0 && (
          <button
            type="button"
            onClick={() => {
              for (const item of failed) retry(item.id);
            }}
          >
            Retry all failed
          </button>
        )}
        {running.length > 0 && (
          <button
            type="button"
            onClick={() => {
              for (const item of running) cancel(item.id);
            }}
          >
            Cancel all
          </button>
        )}
        {items.length > running.length && (
          <button type="button" onClick={clear}>
            Clear finished
          </button>
        )}
      </div>
    </section>
  );
}
