import { type ButtonHTMLAttributes, type ReactNode, useState } from 'react';
import { ObjectStoreError } from '../core/errors';
import { cx } from './class-names';
import { rememberTask, useObjectStoreContext } from './context';
import type { DownloadOptions, DownloadTask } from './engine-types';
import { progressOf } from './format';
import { errorText, type Messages } from './messages';
import { ProgressBar } from './progress-bar';
import { progressText } from './progress-text';
import { isActive, isSettled } from './status';
import { fileNameOf } from './use-download';
import { useMessages } from './use-messages';
import { useTaskSnapshot } from './use-tasks';

export interface DownloadButtonProps
  extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onError' | 'children'>,
    Pick<DownloadOptions, 'cdn' | 'segmentSize' | 'parallel' | 'verify'> {
  objectKey: string;
  /** Where the bytes go. Default `'file'`: the browser asks where to save, or downloads. */
  to?: DownloadOptions['to'];
  /** Name to save under. Default: the key's last path segment. */
  fileName?: string;
  /** Button content. Default "Download"; the accessible name then includes the file name. */
  children?: ReactNode;
  onDone?: (blob: Blob | undefined) => void;
  onError?: (error: ObjectStoreError) => void;
  messages?: Partial<Messages>;
}

/** A button that downloads one object, then shows the download's progress, Cancel and Retry. */
export function DownloadButton(props: DownloadButtonProps) {
  const {
    objectKey,
    to = 'file',
    fileName,
    cdn,
    segmentSize,
    parallel,
    verify,
    children,
    onDone,
    onError,
    ...more
  } = props;
  const { messages: overrides, className, disabled, ...rest } = more;
  const context = useObjectStoreContext();
  const { messages } = useMessages(overrides);
  const [task, setTask] = useState<DownloadTask>();
  const name = fileName ?? fileNameOf(objectKey);

  const start = () => {
    const { client } = context;
    if (!client.download) throw new ObjectStoreError('INVALID_INPUT', 'This client has no download engine.');
    const options = { to, fileName: name, cdn, segmentSize, parallel, verify };
    for (const option of Object.keys(options) as (keyof typeof options)[]) {
      if (options[option] === undefined) delete options[option];
    }
    const started = client.download(objectKey, options);
    rememberTask(context, started, { name, cdn: cdn ?? false });
    setTask(started);
    started.done.then(onDone, (error: unknown) => {
      if (error instanceof ObjectStoreError && error.code !== 'ABORTED') onError?.(error);
    });
  };

  return (
    <span className={cx('od-download', className)} data-state={task ? undefined : 'idle'}>
      {task ? (
        <DownloadProgress
          task={task}
          name={name}
          messages={messages}
          onRetry={start}
          buttonProps={{ ...rest, disabled }}
          label={children}
        />
      ) : (
        <button
          type="button"
          className="od-download__button"
          aria-label={children ? undefined : messages.downloadFile(name)}
          disabled={disabled}
          onClick={start}
          {...rest}
        >
          {children ?? messages.download}
        </button>
      )}
    </span>
  );
}

interface DownloadProgressProps {
  task: DownloadTask;
  name: string;
  messages: Messages;
  onRetry: () => void;
  buttonProps: ButtonHTMLAttributes<HTMLButtonElement>;
  label: ReactNode;
}

function DownloadProgress({ task, name, messages, onRetry, buttonProps, label }: DownloadProgressProps) {
  const { locale } = useObjectStoreContext();
  const snapshot = useTaskSnapshot(task);
  const { status, error } = snapshot;
  const running = isActive(status) || status === 'paused';
  const value = status === 'done' ? 1 : progressOf(snapshot.loaded, snapshot.total);
  const stateText =
    status === 'failed'
      ? errorText(messages, error) || messages.downloadStatus.failed
      : messages.downloadStatus[status];
  return (
    <span className="od-download__task" data-state={status} data-error={error?.code}>
      <button
        type="button"
        className="od-download__button"
        aria-label={label ? undefined : messages.downloadFile(name)}
        {...buttonProps}
        disabled={buttonProps.disabled || running}
        onClick={onRetry}
      >
        {label ?? messages.download}
      </button>
      <ProgressBar
        className="od-download__progress"
        value={value}
        state={status}
        label={messages.progressLabel(name)}
        valueText={progressText(snapshot, messages, locale)}
      />
      <span className="od-download__status">{stateText}</span>
      {running && (
        <button
          type="button"
          data-action="cancel"
          aria-label={messages.cancelFile(name)}
          onClick={() => task.cancel()}
        >
          {messages.cancel}
        </button>
      )}
      {isSettled(status) && status === 'failed' && (
        <button type="button" data-action="retry" aria-label={messages.retryFile(name)} onClick={onRetry}>
          {messages.retry}
        </button>
      )}
    </span>
  );
}
