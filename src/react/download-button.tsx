import { type ButtonHTMLAttributes, type ReactNode, useRef, useState } from 'react';
import { ObjectStoreError } from '../core/errors';
import { cx } from './class-names';
import { rememberTask, useObjectStoreContext } from './context';
import type { DownloadOptions, DownloadSnapshot, DownloadTask } from './engine-types';
import { transferProgress } from './format';
import { errorText, type Messages } from './messages';
import { ProgressBar } from './progress-bar';
import { progressText } from './progress-text';
import { isActive } from './status';
import { fileNameOf } from './use-download';
import { useFocusRescue } from './use-focus-rescue';
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

const noop = () => {};
/** Stands in for "no download yet", so the snapshot hook runs unconditionally. */
const NO_TASK = { subscribe: () => noop, getSnapshot: (): DownloadSnapshot | undefined => undefined };

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
  const { messages: overrides, className, disabled, onClick, ...rest } = more;
  const context = useObjectStoreContext();
  const { messages, locale } = useMessages(overrides);
  const [task, setTask] = useState<DownloadTask>();
  const snapshot = useTaskSnapshot<DownloadSnapshot | undefined>(task ?? NO_TASK);
  const root = useRef<HTMLSpanElement>(null);
  const focus = useFocusRescue(root);
  const name = fileName ?? fileNameOf(objectKey);
  const status = snapshot?.status;
  const running = status !== undefined && (isActive(status) || status === 'paused');

  const start = () => {
    const { client } = context;
    const options: DownloadOptions = { to, fileName: name };
    if (cdn !== undefined) options.cdn = cdn;
    if (segmentSize !== undefined) options.segmentSize = segmentSize;
    if (parallel !== undefined) options.parallel = parallel;
    if (verify !== undefined) options.verify = verify;
    const started = client.download(objectKey, options);
    rememberTask(context, started, { name, cdn: cdn ?? false });
    setTask(started);
    started.done.then(onDone, (error: unknown) => {
      if (error instanceof ObjectStoreError && error.code !== 'ABORTED') onError?.(error);
    });
  };

  const value = snapshot && transferProgress(snapshot);
  const stateText =
    status === undefined
      ? ''
      : status === 'failed'
        ? errorText(messages, snapshot?.error) || messages.downloadStatus.failed
        : messages.downloadStatus[status];

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: focus events bubble up from the buttons; the span takes no input
    <span
      ref={root}
      className={cx('od-download', className)}
      data-state={status ?? 'idle'}
      data-error={status === 'failed' ? snapshot?.error?.code : undefined}
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
    >
      <button
        type="button"
        className="od-download__button"
        aria-label={children ? undefined : messages.downloadFile(name)}
        disabled={disabled}
        // Not `disabled` while running: a disabled button drops keyboard focus.
        aria-disabled={running || undefined}
        {...rest}
        onClick={(event) => {
          onClick?.(event);
          if (!running && !event.defaultPrevented) start();
        }}
      >
        {children ?? messages.download}
      </button>
      {snapshot && (
        <>
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
              onClick={() => task?.cancel()}
            >
              {messages.cancel}
            </button>
          )}
          {status === 'failed' && (
            <button type="button" data-action="retry" aria-label={messages.retryFile(name)} onClick={start}>
              {messages.retry}
            </button>
          )}
        </>
      )}
    </span>
  );
}
