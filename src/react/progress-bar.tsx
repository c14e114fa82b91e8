import type { CSSProperties, HTMLAttributes } from 'react';
import { cx } from './class-names';

export interface ProgressBarProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** 0–1; undefined shows an indeterminate bar (no `aria-valuenow`). */
  value: number | undefined;
  /** Accessible name. */
  label?: string;
  /** Readable value, e.g. "34%, 12 MB of 35 MB, 8 sec left". */
  valueText?: string;
  /** `data-state`; default `indeterminate`, `loading` or `complete` from `value`. */
  state?: string;
}

/** A `role="progressbar"` with its value on `--od-progress` (0–1) for the default styles. */
export function ProgressBar({ value, label, valueText, state, className, style, ...rest }: ProgressBarProps) {
  const clamped = value === undefined ? undefined : Math.min(1, Math.max(0, value));
  const percent = clamped === undefined ? undefined : Math.floor(clamped * 100);
  const dataState =
    state ?? (clamped === undefined ? 'indeterminate' : clamped >= 1 ? 'complete' : 'loading');
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
      data-state={dataState}
      data-value={percent}
      className={cx('od-progress', className)}
      style={{ ...style, '--od-progress': clamped ?? 0 } as CSSProperties}
      {...rest}
    >
      <div className="od-progress__indicator" data-state={dataState} />
    </div>
  );
}
