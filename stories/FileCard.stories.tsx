import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { FileCard } from '../src/react/file-card';
import { Frozen, type FrozenUpload, frozenUpload, sizes } from './support/fixtures';

const { MB } = sizes;

/** Every state of one upload, frozen. `UploadList` and `DropZone` have live stories. */
const meta = {
  title: 'Components/FileCard',
  component: FileCard,
  render: (args) => (
    <Frozen uploads={[args.task]}>
      <FileCard {...args} />
    </Frozen>
  ),
} satisfies Meta<typeof FileCard>;
export default meta;

type Story = StoryObj<typeof meta>;

const report = (state: Omit<FrozenUpload, 'name' | 'size' | 'type'>) => ({
  args: { task: frozenUpload({ name: 'report.pdf', type: 'application/pdf', size: 35 * MB, ...state }) },
});

const shows =
  (text: string, buttons: string[] = []): Story['play'] =>
  async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const card = canvas.getByRole('group', { name: 'report.pdf' });
    await expect(card).toHaveTextContent(text);
    for (const name of buttons)
      await expect(canvas.getByRole('button', { name: `${name} report.pdf` })).toBeEnabled();
  };

export const Queued: Story = { ...report({ status: 'queued' }), play: shows('Waiting', ['Pause', 'Cancel']) };

export const Hashing: Story = {
  ...report({ status: 'hashing', hashed: 0.4 }),
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole('progressbar');
    await expect(bar).toHaveAttribute('aria-valuetext', 'Checking file, 40%');
  },
};

export const Presigning: Story = { ...report({ status: 'presigning' }), play: shows('Preparing') };

export const Uploading: Story = {
  ...report({ status: 'uploading', sent: 12 / 35, bytesPerSecond: 2.875 * MB }),
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole('progressbar', { name: 'Progress of report.pdf' });
    await expect(bar).toHaveAttribute('aria-valuenow', '34');
    await expect(bar).toHaveAttribute('aria-valuetext', '34%, 12 MB of 35 MB, 8 sec left');
  },
};

export const Paused: Story = {
  ...report({ status: 'paused', sent: 0 }),
  play: shows('Paused', ['Resume', 'Cancel']),
};

export const Finalizing: Story = {
  ...report({ status: 'finalizing', sent: 1 }),
  play: shows('Finishing', ['Cancel']),
};

export const Done: Story = { ...report({ status: 'done' }), play: shows('Uploaded', ['Remove']) };

export const RateLimitedRecovering: Story = {
  ...report({ status: 'uploading', sent: 0.5, bytesPerSecond: 0, retrying: 'TOO_MANY_REQUESTS' }),
  play: shows('The store is busy'),
};

export const UrlExpiredRefreshing: Story = {
  ...report({ status: 'presigning', retrying: 'URL_EXPIRED' }),
  play: shows('The upload link expired'),
};

export const NetworkDropRetrying: Story = {
  ...report({ status: 'uploading', sent: 0.2, bytesPerSecond: 0, retrying: 'NETWORK' }),
  play: shows('The connection dropped'),
};

export const FailedChecksumMismatch: Story = {
  ...report({ status: 'failed', error: 'CHECKSUM_MISMATCH' }),
  play: shows('The stored bytes did not match the file.', ['Retry', 'Remove']),
};

export const FailedNetwork: Story = {
  ...report({ status: 'failed', sent: 0.6, error: 'NETWORK' }),
  play: shows('The connection dropped.', ['Retry']),
};

export const Canceled: Story = {
  ...report({ status: 'canceled', sent: 0.1 }),
  play: shows('Canceled', ['Retry', 'Remove']),
};

export const LongName: Story = {
  args: {
    task: frozenUpload({
      name: 'quarterly-report-final-final-v7-with-appendices-and-annexes-for-review.pdf',
      type: 'application/pdf',
      size: 4 * MB,
      status: 'uploading',
      sent: 0.7,
    }),
  },
};
