import type { ChecksumType } from 'objectdrop';
import { useId } from 'react';
import { CheckField } from './check-field';

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
      <CheckField
        id={`${id}-cdn`}
        label="Store in the CDN bucket"
        checked={value.cdn}
        onChange={(checked) => set('cdn', checked)}
      />
      <CheckField
        id={`${id}-overwrite`}
        label="Overwrite an object with the same key"
        checked={value.overwrite}
        onChange={(checked) => set('overwrite', checked)}
      />
      <CheckField
        id={`${id}-auto`}
        label="Start uploads as soon as files are added"
        checked={value.autoStart}
        onChange={(checked) => set('autoStart', checked)}
      />
    </fieldset>
  );
}
