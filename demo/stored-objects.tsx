import type { ObjectReference, ObjectStoreBackend } from 'objectdrop';
import { DownloadButton, formatBytes, useDeleteObject, useObjectMetadata } from 'objectdrop/react';
import { useId, useState } from 'react';

/** An object the demo uploaded, by key and bucket. */
export interface StoredEntry {
  key: string;
  cdn: boolean;
}

function date(value: string | undefined): string {
  return value ? new Date(value).toLocaleString() : '—';
}

function Metadata({ object }: { object: ObjectReference }) {
  return (
    <dl className="demo-object">
      <dt>Key</dt>
      <dd data-field="key">{object.key}</dd>
      <dt>Size</dt>
      <dd data-field="size">
        {object.size} bytes ({formatBytes(object.size)})
      </dd>
      <dt>Checksum type</dt>
      <dd data-field="checksumType">{object.checksumType ?? '—'}</dd>
      <dt>Checksum</dt>
      <dd data-field="checksum">{object.checksum}</dd>
      <dt>Content type</dt>
      <dd data-field="contentType">{object.contentType ?? '—'}</dd>
      <dt>Version</dt>
      <dd data-field="version">{object.currentVersion ?? '—'}</dd>
      <dt>Created</dt>
      <dd data-field="createdAt">{date(object.createdAt)}</dd>
      <dt>Updated</dt>
      <dd data-field="updatedAt">{date(object.updatedAt)}</dd>
    </dl>
  );
}

function CdnUrl({ entry, backend }: { entry: StoredEntry; backend: ObjectStoreBackend }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  if (!backend.createCDNUrl) return null;
  const get = async () => {
    setError(undefined);
    try {
      const response = await backend.createCDNUrl!(entry.key, { ttlSeconds: 3600 });
      if (response) setUrl(response.url);
      else setError('No object with this key in the CDN bucket.');
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  return (
    <div className="demo-cdn">
      <button type="button" onClick={() => void get()} aria-label={`Get CDN URL of ${entry.key}`}>
        Get CDN URL
      </button>
      {url && (
        <a href={url} data-field="cdnUrl" target="_blank" rel="noreferrer">
          {url}
        </a>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}

export function StoredObject({
  entry,
  backend,
  onDismiss,
}: {
  entry: StoredEntry;
  backend: ObjectStoreBackend;
  onDismiss: () => void;
}) {
  const headingId = useId();
  const metadata = useObjectMetadata(entry.key, { cdn: entry.cdn });
  const remove = useDeleteObject();
  const object = metadata.data;
  const name = entry.key.split('/').pop() ?? entry.key;
  return (
    <article
      className="demo-panel demo-stored"
      aria-labelledby={headingId}
      data-testid={object ? 'stored-object' : 'missing-object'}
      data-key={entry.key}
      data-cdn={entry.cdn ? '' : undefined}
    >
      <h3 id={headingId}>
        {name} {entry.cdn && <span className="demo-badge">CDN</span>}
      </h3>
      {metadata.isPending && <p>Loading metadata…</p>}
      {metadata.error && <p role="alert">Could not read metadata: {metadata.error.message}</p>}
      {object === null && <p data-field="deleted">No object with this key (deleted or expired).</p>}
      {object && <Metadata object={object} />}
      <div className="demo-actions">
        {object && <DownloadButton objectKey={entry.key} cdn={entry.cdn} segmentSize={1024 * 1024} verify />}
        {object && (
          <button
            type="button"
            aria-label={`Delete ${name}`}
            disabled={remove.isPending}
            onClick={() => remove.mutate({ key: entry.key, cdn: entry.cdn })}
          >
            Delete
          </button>
        )}
        {object === null && (
          <button type="button" aria-label={`Dismiss ${name}`} onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      {remove.error && <p role="alert">Delete failed: {remove.error.message}</p>}
      {object && entry.cdn && <CdnUrl entry={entry} backend={backend} />}
    </article>
  );
}
