import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { ObjectStoreError } from '../src/core/errors';
import { DownloadButton } from '../src/react/download-button';
import type { DownloadSnapshot } from '../src/react/engine-types';
import { Frozen, frozenDownload, sizes } from './support/fixtures';

const { MB } = sizes;

const meta = {
  title: 'Components/DownloadButton',
  component: DownloadButton,
  args: { objectKey: 'reports/2024/report.pdf' },
} satisfies Meta<typeof DownloadButton>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Idle: Story = {
  render: (args) => (
    <Frozen>
      <DownloadButton {...args} />
    </Frozen>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Download report.pdf' })).toBeEnabled();
  },
};

export const CustomLabel: Story = {
  args: { children: 'Get the PDF' },
  render: Idle.render,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Get the PDF' })).toBeEnabled();
  },
};

/** The download in a frozen state, shown after the button is pressed. */
const inState = (
  snapshot: Partial<DownloadSnapshot> & Pick<DownloadSnapshot, 'status'>,
  text: string,
): Story => ({
  render: (args) => (
    <Frozen download={frozenDownload(snapshot)}>
      <DownloadButton {...args} />
    </Frozen>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Download report.pdf' }));
    await expect(canvasElement.querySelector('.od-download')).toHaveAttribute('data-state', snapshot.status);
    await expect(canvasElement).toHaveTextContent(text);
  },
});

export const Downloading = inState(
  { status: 'downloading', loaded: 20 * MB, total: 80 * MB, bytesPerSecond: 10 * MB, etaSeconds: 6 },
  'Downloading',
);
export const Paused = inState({ status: 'paused', loaded: 20 * MB, total: 80 * MB }, 'Paused');
export const Verifying = inState({ status: 'verifying', loaded: 80 * MB, total: 80 * MB }, 'Verifying');
export const Done = inState({ status: 'done', loaded: 80 * MB, total: 80 * MB }, 'Downloaded');
export const FailedObjectChanged = inState(
  {
    status: 'failed',
    loaded: 30 * MB,
    total: 80 * MB,
    error: new ObjectStoreError('OBJECT_CHANGED', 'changed'),
  },
  'The file changed on the server during the download.',
);
export const FailedChecksumMismatch = inState(
  {
    status: 'failed',
    loaded: 80 * MB,
    total: 80 * MB,
    error: new ObjectStoreError('CHECKSUM_MISMATCH', 'mismatch'),
  },
  'The stored bytes did not match the file.',
);
