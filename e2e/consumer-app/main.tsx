// A fresh app that depends on the packed objectdrop tarball, exactly as a user's would.
import { computeChecksum, createHttpBackend, createObjectStore } from 'objectdrop';
import { DropZone, ObjectStoreProvider, UploadList, useUpload } from 'objectdrop/react';
import 'objectdrop/react/styles.css';
import { createRoot } from 'react-dom/client';

const storeUrl = new URLSearchParams(location.search).get('store') ?? 'http://127.0.0.1:8787';
const backend = createHttpBackend({ baseUrl: storeUrl });

function Stored() {
  const { items } = useUpload();
  return (
    <ul>
      {items.map((item) =>
        item.object ? (
          <li
            key={item.id}
            data-testid="stored"
            data-key={item.object.key}
            data-checksum={item.object.checksum}
          />
        ) : null,
      )}
    </ul>
  );
}

declare global {
  interface Window {
    objectdrop: {
      computeChecksum: typeof computeChecksum;
      createObjectStore: typeof createObjectStore;
      backend: typeof backend;
    };
  }
}
window.objectdrop = { computeChecksum, createObjectStore, backend };

createRoot(document.getElementById('root')!).render(
  <ObjectStoreProvider backend={backend}>
    <DropZone upload />
    <UploadList />
    <Stored />
  </ObjectStoreProvider>,
);
