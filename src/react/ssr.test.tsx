// Server rendering: no DOM here (Node environment), so any touch of window/document/Worker at
// render time throws.
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpBackend } from '../adapters/http-backend';
import { DownloadButton } from './download-button';
import { DropZone } from './drop-zone';
import { FileCard } from './file-card';
import { ProgressBar } from './progress-bar';
import { ObjectStoreProvider } from './provider';
import { createTestClient } from './test/test-client';
import { UploadList } from './upload-list';
import { useObjectMetadata } from './use-object-metadata';
import { useObjectStore } from './use-object-store';

let workersStarted = 0;
const realWorker = globalThis.Worker;

beforeEach(() => {
  workersStarted = 0;
  globalThis.Worker = class {
    constructor() {
      workersStarted += 1;
    }
  } as unknown as typeof Worker;
});
afterEach(() => {
  globalThis.Worker = realWorker;
});

function Metadata() {
  const { data, status } = useObjectMetadata('x');
  const { objectStates } = useObjectStore();
  return <output>{`${status}:${String(data)}:${objectStates.length}`}</output>;
}

describe('server rendering', () => {
  it('renders every component without a DOM and starts no worker', () => {
    expect(typeof window).toBe('undefined');
    const { client } = createTestClient();
    const task = client.upload(new Blob(['x']), { key: 'a' });
    task.cancel();
    const html = renderToString(
      <ObjectStoreProvider client={client}>
        <DropZone upload accept="image/*" />
        <UploadList />
        <FileCard task={task} />
        <DownloadButton objectKey="a" />
        <ProgressBar value={0.5} label="half" />
        <Metadata />
      </ObjectStoreProvider>,
    );
    expect(html).toContain('Choose files');
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('Download');
    expect(html).toContain('<output>pending:undefined:0</output>');
    expect(workersStarted).toBe(0);
  });

  it('creates a client from a backend on the server without starting anything', () => {
    const backend = createHttpBackend({ baseUrl: 'http://127.0.0.1:9' });
    const html = renderToString(
      <ObjectStoreProvider backend={backend}>
        <DropZone upload />
        <UploadList empty={<p>No uploads yet</p>} />
        <Metadata />
      </ObjectStoreProvider>,
    );
    expect(html).toContain('No uploads yet');
    expect(workersStarted).toBe(0);
  });

  it('renders a DropZone with no provider at all', () => {
    expect(renderToString(<DropZone onFiles={() => {}} />)).toContain('Choose files');
  });
});
