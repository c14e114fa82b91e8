import { type HTMLAttributes, useId } from 'react';
import { cx } from './class-names';
import { describeUpload, useObjectStoreContext } from './context';
import type { UploadTask } from './engine-types';
import { formatBytes, progressOf } from './format';
import { errorText, type Messages } from './messages';
import { ProgressBar } from './progress-bar';
import { progressText } from './progress-text';
import { canPause, isSettled } from './status';
import { useMessages } from './use-messages';
import { useTaskSnapshot } from './use-tasks';

export interface FileCardProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  task: UploadTask;
  /** Called by the Remove button; default: take the card off every list of this provider. */
  onRemove?: (task: UploadTask) => void;
  /** Element to render; `li` inside `<UploadList>`. Default `div`. */
  as?: 'div' | 'li';
  messages?: Partial<Messages>;
}

/** One upload: name, size, type, progress, state text and the actions that fit its state. */
export function FileCard({
  task,
  onRemove,
  as: Element = 'div',
  messages: overrides,
  className,
  ...rest
}: FileCardProps) {
  const context = useObjectStoreContext();
  const { messages, locale } = useMessages(overrides);
  const snapshot = useTaskSnapshot(task);
  const info = describeUpload(context, task);
  const nameId = useId();
  const { status, error } = snapshot;
  const size = info.size ?? snapshot.total;
  const settled = isSettled(status);
  const active = !settled && status !== 'paused';
  const value = status === 'done' ? 1 : progressOf(snapshot.loaded, snapshot.total);
  const remove = () => {
    if (onRemove) return onRemove(task);
    if (!settled) task.cancel();
    context.removed.add([task.id]);
  };
  // A retryable error on a task that is still running is the engine recovering (429, expiry,
  // dropped connection): say so, without calling it a failure.
  const note = error ? errorText(messages, error) : '';
  const stateText =
    status === 'failed' ? note || messages.uploadStatus.failed : messages.uploadStatus[status];

  return (
    <Element
      className={cx('od-file-card', className)}
      data-state={status}
      data-error={error?.code}
      aria-labelledby={nameId}
      {...rest}
    >
      <div className="od-file-card__info">
        <span className="od-file-card__name" id={nameId}>
          {info.name}
        </span>
        <span className="od-file-card__meta">
          <span className="od-file-card__size">{formatBytes(size, locale)}</span>
          <span className="od-file-card__type">{info.type || messages.unknownType}</span>
        </span>
      </div>
      <ProgressBar
        className="od-file-card__progress"
        value={value}
        state={status}
        label={messages.progressLabel(info.name)}
        valueText={progressText(snapshot, messages, locale)}
      />
      <p className="od-file-card__status" data-state={status}>
        <span className="od-file-card__state">{stateText}</span>
        {note && status !== 'failed' && <span className="od-file-card__note"> {note}</span>}
        {!settled && value !== undefined && (
          <span className="od-file-card__progress-text"> {progressText(snapshot, messages, locale)}</span>
        )}
      </p>
      <div className="od-file-card__actions">
        {canPause(status) && (
          <button
            type="button"
            data-action="pause"
            aria-label={messages.pauseFile(info.name)}
            onClick={() => task.pause()}
          >
            {messages.pause}
          </button>
        )}
        {status === 'paused' && (
          <button
            type="button"
            data-action="resume"
            aria-label={messages.resumeFile(info.name)}
            onClick={() => task.resume()}
          >
            {messages.resume}
          </button>
        )}
        {(active || status === 'paused') && (
          <button
            type="button"
            data-action="cancel"
            aria-label={messages.cancelFile(info.name)}
            onClick={() => task.cancel()}
          >
            {messages.cancel}
          </button>
        )}
        {status === 'failed' && (
          <button
            type="button"
            data-action="retry"
            aria-label={messages.retryFile(info.name)}
            onClick={() => task.retry()}
          >
            {messages.retry}
          </button>
        )}
        {settled && (
          <button
            type="button"
            data-action="remove"
            aria-label={messages.removeFile(info.name)}
            onClick={remove}
          >
            {messages.remove}
          </button>
        )}
      </div>
    </Element>
  );
}
