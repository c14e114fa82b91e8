import { createHttpBackend, type ObjectReference } from 'objectdrop';
import { DropZone, ObjectStoreProvider, UploadList, useUpload } from 'objectdrop/react';
import { useMemo } from 'react';

function StoredObject({ object }: { object: ObjectReference }) {
  return (
    <dl className="demo-object" data-testid="stored-object" data-key={object.key}>
      <dt>Key</dt>
      <dd data-field="key">{object.key}</dd>
      <dt>Size</dt>
      <dd data-field="size">{object.size} bytes</dd>
      <dt>{object.checksumType ?? 'Checksum'}</dt>
      <dd data-field="checksum">{object.checksum}</dd>
      <dt>Version</dt>
      <dd data-field="version">{object.currentVersion ?? '—'}</dd>
      <dt>Created</dt>
      <dd data-field="createdAt">{object.createdAt ?? '—'}</dd>
    </dl>
  );
}

function StoredObjects() {
  const { items } = useUpload();
  const stored = items.flatMap((item) => (item.object ? [item.object] : []));
  if (stored.length === 0) return null;
  return (
    <section aria-labelledby="stored-heading">
      <h2 id="stored-heading">Stored objects</h2>
      {stored.map((object) => (
        <StoredObject key={object.key} object={object} />
      ))}
    </section>
  );
}

export function App({ storeUrl }: { storeUrl: string }) {
  const backend = useMemo(() => createHttpBackend({ baseUrl: storeUrl }), [storeUrl]);
  return (
    <ObjectStoreProvider backend={backend}>
      <main className="demo">
        <h1>objectdrop</h1>
        <p>
          Files are hashed (SHA-256) in a Web Worker, uploaded by pre-signed URL to the local object store at{' '}
          <code>{storeUrl}</code>, and verified against what the store recorded.
        </p>
        <DropZone upload />
        <UploadList />
        <StoredObjects />
      </main>
    </ObjectStoreProvider>
  );
}
