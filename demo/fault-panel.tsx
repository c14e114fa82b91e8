import { type FormEvent, useEffect, useId, useState } from 'react';
import { CheckField } from './check-field';
import { type FaultPatch, type FaultSettings, getFaults, resetFaults, setFaults } from './store-admin';

type Flag = 'corruptDownload' | 'ignoreRange' | 'cacheableDownloads';
type NumericField = Exclude<keyof FaultSettings, Flag>;

interface FieldSpec {
  field: NumericField;
  label: string;
  hint: string;
  /** Shown as a percentage, stored as a fraction. */
  percent?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { field: 'latencyMs', label: 'Latency (ms)', hint: 'Delay before every API and data request.' },
  { field: 'rateLimitRate', label: '429 rate (%)', hint: 'Share of requests answered 429.', percent: true },
  { field: 'retryAfterSeconds', label: 'Retry-After (s)', hint: 'Sent with the injected 429s.' },
  { field: 'errorRate', label: '503 rate (%)', hint: 'Share of requests answered 503.', percent: true },
  { field: 'dropUploadAfterBytes', label: 'Drop uploads after (bytes)', hint: 'Cut PUT connections.' },
  { field: 'dropDownloadAfterBytes', label: 'Drop downloads after (bytes)', hint: 'Cut GET bodies short.' },
  {
    field: 'downloadBytesPerSecond',
    label: 'Download pace (bytes/s)',
    hint: 'Each GET body at most this fast, per connection.',
  },
  { field: 'dropCount', label: 'Drops before stopping', hint: 'Empty: every request.' },
  { field: 'urlTtlSeconds', label: 'URL lifetime (s)', hint: 'New pre-signed URLs expire this soon.' },
];

type Draft = Record<NumericField, string> & Record<Flag, boolean>;

function draftOf(settings: FaultSettings): Draft {
  const draft = {
    corruptDownload: settings.corruptDownload === true,
    ignoreRange: settings.ignoreRange === true,
    cacheableDownloads: settings.cacheableDownloads === true,
  } as Draft;
  for (const { field, percent } of FIELDS) {
    const value = settings[field];
    draft[field] = value === undefined ? '' : String(percent ? Math.round(value * 1000) / 10 : value);
  }
  return draft;
}

function patchOf(draft: Draft): FaultPatch {
  const patch: FaultPatch = {
    corruptDownload: draft.corruptDownload || null,
    ignoreRange: draft.ignoreRange || null,
    cacheableDownloads: draft.cacheableDownloads || null,
  };
  for (const { field, percent } of FIELDS) {
    const text = draft[field].trim();
    patch[field] = text === '' ? null : percent ? Number(text) / 100 : Number(text);
  }
  return patch;
}

function summarize(settings: FaultSettings): string {
  const active = Object.entries(settings).map(([field, value]) => `${field}: ${String(value)}`);
  return active.length === 0 ? 'None: the store behaves normally.' : active.join(', ');
}

const PRESETS: readonly { name: string; patch: FaultPatch }[] = [
  { name: '429 storm', patch: { rateLimitRate: 0.5, retryAfterSeconds: 1 } },
  { name: 'Slow store', patch: { latencyMs: 800 } },
  { name: 'Flaky uplink', patch: { dropUploadAfterBytes: 512 * 1024, dropCount: 2 } },
  { name: 'Short-lived URLs', patch: { urlTtlSeconds: 2 } },
  { name: 'Dropped download', patch: { dropDownloadAfterBytes: 1024 * 1024, dropCount: 1 } },
  { name: 'Corrupt downloads', patch: { corruptDownload: true } },
  { name: 'Slow connections', patch: { downloadBytesPerSecond: 4 * 1024 * 1024 } },
];

/** Sets the local store's fault injection from the page, to watch the client recover. */
export function FaultPanel({ storeUrl }: { storeUrl: string }) {
  const [current, setCurrent] = useState<FaultSettings>({});
  const [draft, setDraft] = useState<Draft>(() => draftOf({}));
  const [status, setStatus] = useState('');
  const headingId = useId();
  const ids = useId();

  useEffect(() => {
    getFaults(storeUrl).then(
      (settings) => {
        setCurrent(settings);
        setDraft(draftOf(settings));
      },
      (error: Error) => setStatus(`Fault injection is unavailable: ${error.message}`),
    );
    // Faults change from elsewhere too (another tab, a test, a drop count running out): keep
    // the "Active" line true without touching what the user is typing.
    const timer = setInterval(() => {
      getFaults(storeUrl).then(setCurrent, () => undefined);
    }, 2000);
    return () => clearInterval(timer);
  }, [storeUrl]);

  const apply = async (run: () => Promise<FaultSettings>, done: string) => {
    try {
      const settings = await run();
      setCurrent(settings);
      setDraft(draftOf(settings));
      setStatus(done);
    } catch (error) {
      setStatus(`The store refused: ${(error as Error).message}`);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void apply(() => setFaults(storeUrl, patchOf(draft)), 'Faults applied.');
  };

  return (
    <section className="demo-panel demo-faults" aria-labelledby={headingId}>
      <h2 id={headingId}>Fault injection</h2>
      <p>
        Make the local store misbehave and watch uploads and downloads recover. Applies to every client of
        this store.
      </p>
      <fieldset className="demo-presets">
        <legend>Presets</legend>
        {PRESETS.map(({ name, patch }) => (
          <button
            key={name}
            type="button"
            onClick={() => void apply(() => setFaults(storeUrl, patch), `${name} on.`)}
          >
            {name}
          </button>
        ))}
      </fieldset>
      <form onSubmit={onSubmit} aria-label="Fault settings">
        <div className="demo-fields">
          {FIELDS.map(({ field, label, hint, percent }) => (
            <div className="demo-field" key={field}>
              <label htmlFor={`${ids}-${field}`}>{label}</label>
              <input
                id={`${ids}-${field}`}
                name={field}
                type="number"
                inputMode="decimal"
                min={0}
                max={percent ? 100 : undefined}
                step="any"
                value={draft[field]}
                aria-describedby={`${ids}-${field}-hint`}
                onChange={(event) => setDraft({ ...draft, [field]: event.currentTarget.value })}
              />
              <small id={`${ids}-${field}-hint`}>{hint}</small>
            </div>
          ))}
          <CheckField
            id={`${ids}-corrupt`}
            label="Corrupt downloads (flip one byte)"
            checked={draft.corruptDownload}
            onChange={(checked) => setDraft({ ...draft, corruptDownload: checked })}
          />
          <CheckField
            id={`${ids}-ignore-range`}
            label="Ignore Range (answer every GET with the whole object)"
            checked={draft.ignoreRange}
            onChange={(checked) => setDraft({ ...draft, ignoreRange: checked })}
          />
          <CheckField
            id={`${ids}-cacheable-downloads`}
            label="Cacheable downloads (Cache-Control: no-cache, not no-store: Chromium reads ahead)"
            checked={draft.cacheableDownloads}
            onChange={(checked) => setDraft({ ...draft, cacheableDownloads: checked })}
          />
        </div>
        <div className="demo-actions">
          <button type="submit">Apply faults</button>
          <button type="button" onClick={() => void apply(() => resetFaults(storeUrl), 'Faults cleared.')}>
            Clear all faults
          </button>
        </div>
      </form>
      <p>
        <strong>Active:</strong> <span data-testid="active-faults">{summarize(current)}</span>
      </p>
      <p role="status" className="demo-status">
        {status}
      </p>
    </section>
  );
}
