import { QueryClient } from '@tanstack/react-query';
import { createHttpBackend, createObjectStore, type ObjectStoreClient } from 'objectdrop';
import { DropZone, ObjectStoreProvider, relativePathOf, UploadList, useUpload } from 'objectdrop/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Downloads } from './downloads';
import { FaultPanel } from './fault-panel';
import { type StoredEntry, StoredObject } from './stored-objects';
import { TotalProgress } from './total-progress';
import { type DemoUploadOptions, initialUploadOptions, UploadOptionsForm } from './upload-options';

// Keys keep a dropped folder's structure under a unique prefix: `<uuid>/photos/2024/a.jpg`.
const keyFor = (file: Blob) =>
  `${crypto.randomUUID()}/${file instanceof File ? relativePathOf(file) : 'blob'}`;

function uploadOptionsOf(options: DemoUploadOptions) {
  const ttl = Number(options.ttlSeconds);
  return {
    cdn: options.cdn,
    overwrite: options.overwrite,
    ...(options.ttlSeconds.trim() && Number.isInteger(ttl) && ttl > 0 ? { ttlSeconds: ttl } : {}),
  };
}

// Which bucket each upload went to, as its options said.
const cdnByTask = new WeakMap<object, boolean>();

/** Files added while "start as soon as added" is off, waiting for the Start button. */
function Uploader({ options }: { options: DemoUploadOptions }) {
  const { upload } = useUpload();
  const [staged, setStaged] = useState<File[]>([]);
  const send = (files: File[]) => {
    for (const task of upload(files, uploadOptionsOf(options))) cdnByTask.set(task, options.cdn);
  };
  const onFiles = (files: File[]) => {
    if (options.autoStart) send(files);
    else setStaged((before) => [...before, ...files]);
  };
  const start = () => {
    send(staged);
    setStaged([]);
  };
  return (
    <>
      <DropZone onFiles={onFiles} />
      {staged.length > 0 && (
        <div className="demo-staged" data-testid="staged-files">
          <p>
            {staged.length} {staged.length === 1 ? 'file' : 'files'} ready:{' '}
            {staged.map((file) => relativePathOf(file)).join(', ')}
          </p>
          <div className="demo-actions">
            <button type="button" onClick={start}>
              Start upload
            </button>
            <button type="button" onClick={() => setStaged([])}>
              Discard
            </button>
          </div>
        </div>
      )}
    </>
  );
}

/** Reports each finished upload once, so the stored-objects list outlives the upload list. */
function FinishedUploads({ onStored }: { onStored: (entry: StoredEntry) => void }) {
  const { items } = useUpload();
  const seen = useRef(new Set<string>());
  useEffect(() => {
    for (const item of items) {
      if (item.status !== 'done' || !item.object || seen.current.has(item.id)) continue;
      seen.current.add(item.id);
      onStored({ key: item.object.key, cdn: cdnByTask.get(item.task) ?? false });
    }
  }, [items, onStored]);
  return null;
}

export function App({ storeUrl }: { storeUrl: string }) {
  const backend = useMemo(() => createHttpBackend({ baseUrl: storeUrl }), [storeUrl]);
  const [queryClient] = useState(() => new QueryClient());
  const [options, setOptions] = useState(initialUploadOptions);
  // One client per checksum type (a client-wide setting); each keeps its own queue.
  const clients = useRef(new Map<string, ObjectStoreClient>());
  let client = clients.current.get(options.checksumType);
  if (!client) {
    client = createObjectStore({
      backend,
      checksumType: options.checksumType,
      keyFor,
    });
    clients.current.set(options.checksumType, client);
  }
  const [stored, setStored] = useState<StoredEntry[]>([]);
  const onStored = useCallback(
    (entry: StoredEntry) =>
      setStored((before) => [entry, ...before.filter((other) => other.key !== entry.key)]),
    [],
  );

  return (
    <ObjectStoreProvider key={options.checksumType} client={client} queryClient={queryClient}>
      <header className="demo-header">
        <h1>objectdrop demo</h1>
        <p>
          Files are hashed in a Web Worker, uploaded by pre-signed URL to the local object store at{' '}
          <code>{storeUrl}</code>, and checked against what the store recorded.
        </p>
      </header>
      <div className="demo-layout">
        <main className="demo-main">
          <section className="demo-panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">Upload</h2>
            <UploadOptionsForm value={options} onChange={setOptions} />
            <Uploader options={options} />
            <TotalProgress />
            <UploadList />
            <FinishedUploads onStored={onStored} />
          </section>
          <Downloads />
          <section aria-labelledby="stored-heading">
            <h2 id="stored-heading">Stored objects</h2>
            {stored.length === 0 ? (
              <p>Nothing uploaded yet in this session.</p>
            ) : (
              stored.map((entry) => (
                <StoredObject
                  key={`${entry.cdn}:${entry.key}`}
                  entry={entry}
                  backend={backend}
                  onDismiss={() => setStored((before) => before.filter((other) => other !== entry))}
                />
              ))
            )}
          </section>
        </main>
        <aside className="demo-aside" aria-label="Store controls">
          <FaultPanel storeUrl={storeUrl} />
        </aside>
      </div>
    </ObjectStoreProvider>
  );
}
