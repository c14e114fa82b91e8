import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { useObjectStoreContext } from '../src/react/context';
import { DownloadButton } from '../src/react/download-button';
import type { MemoryFaults } from '../src/testing/faults';
import { LiveStore, sampleFile } from './support/live';

/**
 * The real download engine against the in-memory store: ranged, parallel segments, verified
 * against the stored checksum. The object is uploaded first, then downloaded into a Blob.
 */
const meta = {
  title: 'Live/Downloads',
} satisfies Meta;
export default meta;

type Story = StoryObj<typeof meta>;

const KEY = 'reports/annual-report.pdf';
const SIZE = 1_500_000;

function Seeded() {
  const { client } = useObjectStoreContext();
  const [ready, setReady] = useState(false);
  const [received, setReceived] = useState<number>();
  useEffect(() => {
    let live = true;
    const task = client.upload(sampleFile('annual-report.pdf', SIZE, 'application/pdf'), { key: KEY });
    task.done.then(
      () => live && setReady(true),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (!ready) return <p>Storing the object first…</p>;
  return (
    <>
      <DownloadButton
        objectKey={KEY}
        to="blob"
        segmentSize={256 * 1024}
        parallel={3}
        onDone={(blob) => setReceived(blob?.size)}
      />
      {received !== undefined && <p data-testid="received">Received {received} bytes, verified.</p>}
    </>
  );
}

function Downloader({ faults }: { faults?: MemoryFaults }) {
  return (
    <LiveStore faults={{ bytesPerSecond: 1_000_000, ...faults }} controls={false}>
      <Seeded />
    </LiveStore>
  );
}

const TIMEOUT = { timeout: 20_000 };

async function download(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  const button = await canvas.findByRole('button', { name: 'Download annual-report.pdf' }, TIMEOUT);
  await userEvent.click(button);
  return canvas;
}

export const Verified: Story = {
  render: () => <Downloader />,
  play: async ({ canvasElement }) => {
    const canvas = await download(canvasElement);
    await waitFor(
      () => expect(canvas.getByTestId('received')).toHaveTextContent(`Received ${SIZE} bytes`),
      TIMEOUT,
    );
  },
};

export const ResumesAfterADrop: Story = {
  render: () => <Downloader faults={{ dropDownloadAfterBytes: 100_000, dropCount: 1 }} />,
  play: Verified.play,
};

export const CorruptedInTransit: Story = {
  render: () => <Downloader faults={{ corruptDownload: true }} />,
  play: async ({ canvasElement }) => {
    const canvas = await download(canvasElement);
    await waitFor(
      () => expect(canvasElement.querySelector('.od-download')).toHaveAttribute('data-state', 'failed'),
      TIMEOUT,
    );
    await expect(canvasElement.querySelector('.od-download')).toHaveAttribute(
      'data-error',
      'CHECKSUM_MISMATCH',
    );
    await expect(canvas.getByRole('button', { name: 'Retry annual-report.pdf' })).toBeEnabled();
  },
};
