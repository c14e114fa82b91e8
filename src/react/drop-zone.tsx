import {
  type ClipboardEvent,
  type DragEvent,
  type HTMLAttributes,
  type ReactNode,
  useCallback,
  useContext,
  useId,
  useRef,
  useState,
} from 'react';
import { cx } from './class-names';
import { ObjectStoreContext } from './context';
import { dragHasFiles, filesFromDataTransfer, relativePathOf } from './data-transfer';
import { LiveRegion } from './live-region';
import { type Messages, mergeMessages } from './messages';
import { type PerFileUploadOptions, startUploads } from './use-upload';
import { acceptList, type FileRejection, type FileRules, validateFiles } from './validate-files';

export interface UseDropZoneOptions extends FileRules {
  /** Receives the accepted files of each drop, paste or pick (folder files carry `relativePath`). */
  onFiles?: (files: File[], rejections: FileRejection[]) => void;
  /** Receives the rejected files with their reasons. */
  onRejected?: (rejections: FileRejection[]) => void;
  /**
   * Upload accepted files through the provider's client, so an `<UploadList>` under the same
   * provider shows them: `true`, or upload options (per file, as a function). Default `false`.
   */
  upload?: boolean | PerFileUploadOptions;
  /** Accept more than one file per pick. Default `true`. */
  multiple?: boolean;
  /**
   * Also offer a button that picks a whole folder (files keep their relative paths), so that
   * keyboard users, who cannot drag, can add folders too. Default `false`.
   */
  folders?: boolean;
  disabled?: boolean;
  messages?: Partial<Messages>;
}

export interface DropZoneState {
  isDragOver: boolean;
  rejections: FileRejection[];
  announcement: string;
  /** Opens the file picker. */
  open(): void;
  /** Opens the folder picker (needs `folders`). */
  openFolder(): void;
  /** Validates and hands on files, as a drop would. */
  addFiles(files: readonly File[]): void;
  rootProps: HTMLAttributes<HTMLElement> & { 'data-state': string };
  inputProps: {
    ref: (input: HTMLInputElement | null) => void;
    type: 'file';
    hidden: true;
    tabIndex: -1;
    multiple: boolean;
    accept: string | undefined;
    disabled: boolean;
    'aria-label': string;
    onChange: (event: { currentTarget: HTMLInputElement }) => void;
  };
  /** Props of the folder input; render it only when `folders` is set. */
  folderInputProps: DropZoneState['inputProps'];
  messages: Messages;
}

/** The drop zone's behaviour without its markup (react-dropzone's prop-getter idea). */
export function useDropZone(options: UseDropZoneOptions = {}): DropZoneState {
  const context = useContext(ObjectStoreContext);
  const messages = mergeMessages(context?.messages, options.messages);
  const [isDragOver, setDragOver] = useState(false);
  const [rejections, setRejections] = useState<FileRejection[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const input = useRef<HTMLInputElement | null>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const depth = useRef(0);
  const latest = useRef(options);
  latest.current = options;

  const addFiles = useCallback(
    (files: readonly File[]) => {
      const { onFiles, onRejected, upload, disabled, ...rules } = latest.current;
      if (disabled || files.length === 0) return;
      const merged = mergeMessages(context?.messages, latest.current.messages);
      const { accepted, rejected } = validateFiles(files, rules, merged, context?.locale);
      setRejections(rejected);
      const text = [
        accepted.length > 0 && merged.filesAdded(accepted.length),
        rejected.length > 0 && merged.filesRejected(rejected.length),
      ]
        .filter(Boolean)
        .join(' ');
      // The same words twice would not change the region, so nothing would be read: vary an
      // invisible character.
      setAnnouncement((previous) => (previous === text ? `${text}\u200b` : text));
      if (rejected.length > 0) onRejected?.(rejected);
      if (accepted.length === 0) return;
      onFiles?.(accepted, rejected);
      if (upload) {
        if (!context) throw new TypeError('<DropZone upload> needs an <ObjectStoreProvider> above it.');
        startUploads(context, accepted, {}, upload === true ? undefined : upload);
      }
    },
    [context],
  );

  const open = useCallback(() => {
    if (!latest.current.disabled) input.current?.click();
  }, []);
  const openFolder = useCallback(() => {
    if (!latest.current.disabled) folderInput.current?.click();
  }, []);

  const onDragEnter = (event: DragEvent<HTMLElement>) => {
    if (!dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    depth.current += 1;
    if (!options.disabled) setDragOver(true);
  };
  const onDragOver = (event: DragEvent<HTMLElement>) => {
    if (!dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = options.disabled ? 'none' : 'copy';
  };
  // dragenter/dragleave also fire when moving over children: count them.
  const onDragLeave = (event: DragEvent<HTMLElement>) => {
    if (!dragHasFiles(event.dataTransfer)) return;
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragOver(false);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    depth.current = 0;
    setDragOver(false);
    if (options.disabled) return;
    void filesFromDataTransfer(event.dataTransfer).then(addFiles);
  };
  const onPaste = (event: ClipboardEvent<HTMLElement>) => {
    if (options.disabled) return;
    const data = event.clipboardData;
    if (!data || !Array.from(data.types ?? []).includes('Files')) return;
    event.preventDefault();
    void filesFromDataTransfer(data).then(addFiles);
  };

  const accept = acceptList(options.accept).join(',') || undefined;
  const inputProps = {
    type: 'file' as const,
    hidden: true as const,
    tabIndex: -1 as const,
    multiple: options.multiple ?? true,
    accept,
    disabled: options.disabled ?? false,
    'aria-label': messages.chooseFiles,
    onChange: (event: { currentTarget: HTMLInputElement }) => {
      const target = event.currentTarget;
      const files = Array.from(target.files ?? []);
      // Cleared so that picking the same file again still fires `change`.
      target.value = '';
      addFiles(files);
    },
  };
  const state = options.disabled ? 'disabled' : isDragOver ? 'drag-over' : 'idle';
  return {
    isDragOver,
    rejections,
    announcement,
    open,
    addFiles,
    messages,
    rootProps: { onDragEnter, onDragOver, onDragLeave, onDrop, onPaste, 'data-state': state },
    inputProps: {
      ...inputProps,
      ref: (element) => {
        input.current = element;
      },
    },
    folderInputProps: {
      ...inputProps,
      accept: undefined,
      'aria-label': messages.chooseFolder,
      ref: (element) => {
        folderInput.current = element;
        // Not in React's attribute list; every current browser supports it.
        if (element) element.webkitdirectory = true;
      },
    },
    openFolder,
  };
}

export interface DropZoneProps
  extends UseDropZoneOptions,
    Omit<HTMLAttributes<HTMLDivElement>, 'onPaste' | 'children' | keyof UseDropZoneOptions> {
  /** Replaces the hint text; the picker button stays. */
  children?: ReactNode;
  /** Hide the list of rejected files (they still reach `onRejected`). Default `false`. */
  hideRejections?: boolean;
}

/**
 * A region that takes dropped files and folders, pasted files, and a picker opened by a real
 * `<button>`. Rejections are listed and announced; accepted files go to `onFiles`, or are uploaded
 * through the provider's client when `upload` is set.
 */
export function DropZone(props: DropZoneProps) {
  const {
    onFiles,
    onRejected,
    upload,
    multiple,
    folders = false,
    disabled,
    messages: overrides,
    accept,
    maxSize,
    maxFiles,
    validator,
    children,
    hideRejections = false,
    className,
    ...rest
  } = props;
  const zone = useDropZone({
    onFiles,
    onRejected,
    upload,
    multiple,
    disabled,
    messages: overrides,
    accept,
    maxSize,
    maxFiles,
    validator,
  });
  const { messages, rejections } = zone;
  const hintId = useId();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would make the zone a form part with its own layout quirks
    <div
      role="group"
      aria-label={messages.dropZoneLabel}
      className={cx('od-dropzone', className)}
      data-rejected={rejections.length > 0 ? '' : undefined}
      data-disabled={disabled ? '' : undefined}
      {...zone.rootProps}
      {...rest}
    >
      <p className="od-dropzone__hint" id={hintId}>
        {zone.isDragOver ? messages.dropZoneActive : (children ?? messages.dropZoneHint)}
      </p>
      <Picker
        label={messages.chooseFiles}
        onClick={zone.open}
        disabled={disabled}
        hintId={hintId}
        inputProps={zone.inputProps}
      />
      {folders && (
        <Picker
          label={messages.chooseFolder}
          modifier="od-dropzone__button--folder"
          onClick={zone.openFolder}
          disabled={disabled}
          hintId={hintId}
          inputProps={zone.folderInputProps}
        />
      )}
      {!hideRejections && rejections.length > 0 && (
        <div className="od-dropzone__rejections">
          <p className="od-dropzone__rejections-heading">{messages.rejectionsHeading}</p>
          <ul>
            {rejections.map(({ file, errors }, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rejections are replaced as a whole; names may repeat
              <li key={`${index}:${relativePathOf(file)}`} data-code={errors[0]?.code}>
                <span className="od-dropzone__rejected-name">{relativePathOf(file)}</span>{' '}
                <span className="od-dropzone__rejected-reason">
                  {errors.map((error) => error.message).join(' ')}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <LiveRegion message={zone.announcement} />
    </div>
  );
}

/** A real button that opens a hidden file input: the keyboard's way in. */
function Picker(props: {
  label: string;
  modifier?: string;
  onClick: () => void;
  disabled: boolean | undefined;
  hintId: string;
  inputProps: DropZoneState['inputProps'];
}) {
  return (
    <>
      <button
        type="button"
        className={cx('od-dropzone__button', props.modifier)}
        onClick={props.onClick}
        disabled={props.disabled}
        aria-describedby={props.hintId}
      >
        {props.label}
      </button>
      <input {...props.inputProps} />
    </>
  );
}
