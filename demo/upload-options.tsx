import type { ChecksumType } from 'objectdrop';
import { useId } from 'react';

/** What the demo's upload form sets: per-upload options plus the client's checksum type. */
export interface DemoUploadOptions {
  checksumType: ChecksumType;
  cdn: boolean;
  overwrite: boolean;
  /** Seconds as typed; empty keeps objects. */
  ttlSeconds: string;
  /** Upload as soon as files are added, or wait for "Start upload". */
  autoStart: boolean;
}

export const initialUploadOptions: DemoUploadOptions = {
  checksumType: 'SHA256',
  cdn: false,
  overwrite: true,
  ttlSeconds: '',
  autoStart: true,
};

const CHECKSUM_TYPES: readonly ChecksumType[] = ['SHA256', 'SHA1', 'CRC32', 'CRC32C'];

export function UploadOptionsForm({
  value,
  onChange,
}: {
  value: DemoUploadOptions;
  onChange: (next: DemoUploadOptions) => void;
}) {
  const id = useId();
  const set = <K extends keyof DemoUploadOptions>(field: K, next: DemoUploadOptions[K]) =>
    onChange({ ...value, [field]: next });
  return (
    <fieldset className="demo-options">
      <legend>Upload options</legend>
      <div className="demo-field">
        <label htmlFor={`${id}-checksum`}>Checksum</label>
        <select
          id={`${id}-checksum`}
          value={value.checksumType}
          aria-describedby={`${id}-checksum-hint`}
          onChange={(event) => set('checksumType', event.currentTarget.value as ChecksumType)}
        >
          {CHECKSUM_TYPES.map((type) => (
            <option key={type}>{type}</option>
          ))}
        </select>
        <small id={`${id}-checksum-hint`}>Each type has its own upload queue.</small>
      </div>
      <div className="demo-field">
        <label htmlFor={`${id}-ttl`}>Expire after (seconds)</label>
        <input
          id={`${id}-ttl`}
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          value={value.ttlSeconds}
          aria-describedby={`${id}-ttl-hint`}
          onChange={(event) => set('ttlSeconds', event.currentTarget.value)}
        />
        <small id={`${id}-ttl-hint`}>Empty: kept.</small>
      </div>
      <div className="demo-field demo-field--check">
        <input
          id={`${id}-cdn`}
          type="checkbox"
          checked={value.cdn}
          onChange={(event) => set('cdn', event.currentTarget.checked)}
        />
        <label htmlFor={`${id}-cdn`}>Store in the CDN bucket</label>
      </div>
      <div className="demo-field demo-field--check">
        <input
          id={`${id}-overwrite`}
          type="checkbox"
          checked={value.overwrite}
          onChange={(event) => set('overwrite', event.currentTarget.checked)}
        />
        <label htmlFor={`${id}-overwrite`}>Overwrite an object with the same key</label>
      </div>
      <div className="demo-field demo-field--check">
        <input
          id={`${id}-auto`}
          type="checkbox"
          checked={value.autoStart}
          onChange={(event) => set('autoStart', event.currentTarget.checked)}
        />
        <label htmlFor={`${id}-auto`}>Start uploads as soon as files are added</label>
      </div>
    </fieldset>
  );
}
