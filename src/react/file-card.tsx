import { type HTMLAttributes, type RefObject, useId, useRef } from 'react';
import { cx } from './class-names';
import { describeUpload, useObjectStoreContext } from './context';
import type { UploadTask } from './engine-types';
import { formatBytes, formatPercent, progressOf, transferProgress } from './format';
import { errorText, type Messages } from './messages';
import { ProgressBar } from './progress-bar';
import { progressText } from './progress-text';
import { canPause, isSettled } from './status';
import { useFocusRescue } from './use-focus-rescue';
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
  const card = useRef<HTMLElement>(null);
  const focus = useFocusRescue(card, rest);
  const { status, error } = snapshot;
  const size = info.size ?? snapshot.total;
  const settled = isSettled(status);
  const active = !settled && status !== 'paused';
  // Hashing reads the whole file before the first byte can go: its progress is worth showing.
  const value =
    status === 'hashing' ? progressOf(snapshot.hashed, snapshot.total) : transferProgress(snapshot);
  const valueText =
    status === 'hashing'
      ? messages.hashingText(formatPercent(value ?? 0, locale))
      : progressText(snapshot, messages, locale);
  const remove = () => {
    if (onRemove) return onRemove(task);
    if (!settled) task.cancel();
    context.removed.add([task.id]);
  };
  // While the engine waits to retry (429, expiry, dropped connection) the card says why, without
  // calling it a failure.
  const recovering = snapshot.retry && !settled ? snapshot.retry.error : undefined;
  const note = recovering ? errorText(messages, recovering) : '';
  const stateText =
    status === 'failed'
      ? errorText(messages, error) || messages.uploadStatus.failed
      : messages.uploadStatus[status];

  return (
    <Element
      className={cx('od-file-card', className)}
      data-state={status}
      data-error={(recovering ?? (status === 'failed' ? error : undefined))?.code}
      data-recovering={recovering ? '' : undefined}
      // A generic <div> may not carry a name: as a div, the card is a named group.
      role={Element === 'div' ? 'group' : undefined}
      aria-labelledby={nameId}
      ref={card as RefObject<HTMLDivElement & HTMLLIElement>}
      {...rest}
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
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
        valueText={valueText}
      />
      <p className="od-file-card__status" data-state={status}>
        {/* While hashing, the readable value already says "Checking file, 40%". */}
        <span className="od-file-card__state">{status === 'hashing' ? valueText : stateText}</span>
        {note && <span className="od-file-card__note"> · {note}</span>}
        {status === 'uploading' && <span className="od-file-card__progress-text"> · {valueText}</span>}
      </p>
      <div className="od-file-card__actions">
        {(canPause(status) || status === 'paused') && (
          // One element for both, so focus stays on it when Pause turns into Resume.
          <button
            type="button"
            data-action={status === 'paused' ? 'resume' : 'pause'}
            aria-label={status === 'paused' ? messages.resumeFile(info.name) : messages.pauseFile(info.name)}
            onClick={() => (status === 'paused' ? task.resume() : task.pause())}
          >
            {status === 'paused' ? messages.resume : messages.pause}
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
        {(status === 'failed' || status === 'canceled') && (
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
