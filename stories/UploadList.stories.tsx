import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { UploadList } from '../src/react/upload-list';
import { Frozen, frozenUpload, sizes } from './support/fixtures';

const { MB } = sizes;

const meta = {
  title: 'Components/UploadList',
  component: UploadList,
} satisfies Meta<typeof UploadList>;
export default meta;

type Story = StoryObj<typeof meta>;

/** A queue in every state at once, as a user sees it mid-way. */
export const Mixed: Story = {
  render: (args) => (
    <Frozen
      uploads={[
        frozenUpload({
          name: 'holiday.mov',
          type: 'video/quicktime',
          size: 480 * MB,
          status: 'hashing',
          hashed: 0.6,
        }),
        frozenUpload({
          name: 'scan-001.png',
          type: 'image/png',
          size: 3 * MB,
          status: 'uploading',
          sent: 0.45,
        }),
        frozenUpload({ name: 'scan-002.png', type: 'image/png', size: 3 * MB, status: 'queued' }),
        frozenUpload({ name: 'notes.txt', type: 'text/plain', size: 12_000, status: 'done' }),
        frozenUpload({ name: 'budget.xlsx', size: 900_000, status: 'failed', error: 'CHECKSUM_MISMATCH' }),
        frozenUpload({ name: 'draft.docx', size: 2 * MB, status: 'paused', sent: 0 }),
      ]}
    >
      <UploadList {...args} />
    </Frozen>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const list = canvas.getByRole('region', { name: 'Uploads' });
    await expect(within(list).getAllByRole('listitem')).toHaveLength(6);
    await expect(canvas.getByRole('button', { name: 'Retry budget.xlsx' })).toBeEnabled();
    await expect(canvas.getByRole('button', { name: 'Resume draft.docx' })).toBeEnabled();
  },
};

export const Empty: Story = {
  args: { empty: <p>No uploads yet.</p> },
  render: (args) => (
    <Frozen>
      <UploadList {...args} />
    </Frozen>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No uploads yet.')).toBeVisible();
  },
};
