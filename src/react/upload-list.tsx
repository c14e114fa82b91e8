import { type HTMLAttributes, type ReactNode, useEffect, useRef, useState } from 'react';
import { cx } from './class-names';
import { describeUpload, useObjectStoreContext } from './context';
import type { UploadTask } from './engine-types';
import { FileCard } from './file-card';
import { LiveRegion } from './live-region';
import { errorText, type Messages } from './messages';
import { useFocusRescue } from './use-focus-rescue';
import { useMessages } from './use-messages';
import { useTaskStatuses, useUploadTasks } from './use-tasks';

export interface UploadListProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Which uploads to show. Default: every upload of the provider's client not removed. */
  tasks?: readonly UploadTask[];
  /** Custom item rendering; default a `<FileCard as="li">`. */
  renderItem?: (task: UploadTask) => ReactNode;
  /** Shown when there is nothing to list. Default: nothing (the list is not rendered). */
  empty?: ReactNode;
  messages?: Partial<Messages>;
}

/** The uploads of a provider, with a polite announcement when one finishes or fails. */
export function UploadList({
  tasks: given,
  renderItem,
  empty,
  messages: overrides,
  className,
  ...rest
}: UploadListProps) {
  const context = useObjectStoreContext();
  const { messages } = useMessages(overrides);
  const all = useUploadTasks();
  const tasks = given ?? all;
  // Statuses only: the cards follow their own progress, so the list re-renders on status changes alone.
  const statuses = useTaskStatuses(tasks);
  const [announcement, setAnnouncement] = useState('');
  const section = useRef<HTMLElement>(null);
  const focus = useFocusRescue(section, rest);
  const lastStatus = useRef(new Map<UploadTask, string>());

  // Announce each finish or failure once (not every progress step: that floods screen readers).
  useEffect(() => {
    const said: string[] = [];
    tasks.forEach((task, index) => {
      const status = statuses[index];
      if (!status) return;
      const before = lastStatus.current.get(task);
      lastStatus.current.set(task, status);
      if (before === undefined || before === status) return;
      const { name } = describeUpload(context, task);
      if (status === 'done') said.push(messages.uploadFinished(name));
      if (status === 'failed')
        said.push(messages.uploadFailed(name, errorText(messages, task.getSnapshot().error)));
    });
    if (said.length > 0) setAnnouncement(said.join(' '));
  }, [tasks, statuses, context, messages]);

  return (
    <section
      className={cx('od-upload-list', className)}
      aria-label={messages.uploadsLabel}
      data-count={tasks.length}
      ref={section}
      {...rest}
      // A removed card takes the focused Remove button with it: focus moves to the next card.
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
    >
      {tasks.length > 0 ? (
        <ul className="od-upload-list__items">
          {tasks.map((task) =>
            renderItem ? (
              <li key={task.id}>{renderItem(task)}</li>
            ) : (
              <FileCard key={task.id} task={task} as="li" messages={overrides} />
            ),
          )}
        </ul>
      ) : (
        empty
      )}
      <LiveRegion message={announcement} />
    </section>
  );
}
