import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { createHttpBackend } from '../src/adapters/http-backend';
import { DropZone } from '../src/react/drop-zone';
import { ObjectStoreProvider } from '../src/react/provider';
import { UploadList } from '../src/react/upload-list';
import type { MemoryFaults } from '../src/testing/faults';
import { LiveStore, sampleFile } from './support/live';

/**
 * The real upload engine against the in-memory store, with latency and faults. Drop files, or let
 * the play function add some, and watch them hash, upload, retry and finish.
 */
const meta = {
  title: 'Live/Uploads',
  parameters: { layout: 'padded' },
} satisfies Meta;
export default meta;

type Story = StoryObj<typeof meta>;

function Uploader({ faults }: { faults?: MemoryFaults }) {
  return (
    <LiveStore faults={faults}>
      <DropZone upload />
      <UploadList style={{ marginTop: '1rem' }} />
    </LiveStore>
  );
}

const TIMEOUT = { timeout: 20_000 };

async function addFiles(canvasElement: HTMLElement, files: File[]) {
  const input = canvasElement.querySelector('input[type=file]') as HTMLInputElement;
  await userEvent.upload(input, files);
}

const card = (canvasElement: HTMLElement, name: string) =>
  within(canvasElement).getByRole('listitem', { name });

/** Adds sample files (made when the play runs) and waits until each card reads done. */
const uploadsUntilDone =
  (...files: Parameters<typeof sampleFile>[]): Story['play'] =>
  async ({ canvasElement }) => {
    await addFiles(
      canvasElement,
      files.map((args) => sampleFile(...args)),
    );
    for (const [name] of files) {
      await waitFor(() => expect(card(canvasElement, name)).toHaveAttribute('data-state', 'done'), TIMEOUT);
    }
  };

export const HappyPath: Story = {
  render: () => <Uploader />,
  play: uploadsUntilDone(['photo.jpg', 600_000, 'image/jpeg'], ['notes.txt', 2_000, 'text/plain']),
};

export const RateLimitedAndRecovering: Story = {
  render: () => <Uploader faults={{ rateLimitRate: 0.5, retryAfterSeconds: 1 }} />,
  play: uploadsUntilDone(['a.bin', 100_000]),
};

export const NetworkDropRetried: Story = {
  render: () => <Uploader faults={{ dropUploadAfterBytes: 200_000, dropCount: 1 }} />,
  play: uploadsUntilDone(['video.mp4', 500_000, 'video/mp4']),
};

export const UrlExpiredAndRefreshed: Story = {
  // URLs that live one second, on a slow link: the PUT outlives its URL and the engine re-presigns.
  render: () => <Uploader faults={{ urlTtlSeconds: 1, latencyMs: 600 }} />,
  play: uploadsUntilDone(['slow.bin', 50_000]),
};

export const ChecksumMismatch: Story = {
  render: () => <Uploader faults={{ corruptUpload: true }} />,
  play: async ({ canvasElement }) => {
    await addFiles(canvasElement, [sampleFile('corrupted.bin', 50_000)]);
    const item = () => card(canvasElement, 'corrupted.bin');
    await waitFor(() => expect(item()).toHaveAttribute('data-state', 'failed'), TIMEOUT);
    await expect(item()).toHaveAttribute('data-error', 'CHECKSUM_MISMATCH');
    await expect(within(item()).getByRole('button', { name: 'Retry corrupted.bin' })).toBeEnabled();
  },
};

function LocalStoreUploader({ baseUrl }: { baseUrl: string }) {
  const backend = useMemo(() => createHttpBackend({ baseUrl }), [baseUrl]);
  return (
    <ObjectStoreProvider backend={backend}>
      <p>
        Uploads to the local object store at <code>{baseUrl}</code> (<code>npm run serve</code>).
      </p>
      <DropZone upload />
      <UploadList style={{ marginTop: '1rem' }} />
    </ObjectStoreProvider>
  );
}

/** Against the local object store, when it runs; no play function, since it may not. */
export const LocalStore: Story = {
  render: () => <LocalStoreUploader baseUrl="http://127.0.0.1:8787" />,
};
