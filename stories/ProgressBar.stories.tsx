import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { ProgressBar } from '../src/react/progress-bar';

const meta = {
  title: 'Components/ProgressBar',
  component: ProgressBar,
  args: { label: 'Progress of report.pdf', value: 0.34, valueText: '34%, 12 MB of 35 MB, 8 sec left' },
} satisfies Meta<typeof ProgressBar>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Partial: Story = {
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole('progressbar', { name: 'Progress of report.pdf' });
    await expect(bar).toHaveAttribute('aria-valuenow', '34');
    await expect(bar).toHaveAttribute('aria-valuetext', '34%, 12 MB of 35 MB, 8 sec left');
  },
};

export const Empty: Story = { args: { value: 0, valueText: '0%, 0 bytes of 35 MB' } };

export const Complete: Story = {
  args: { value: 1, valueText: '100%, 35 MB of 35 MB' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('progressbar')).toHaveAttribute('data-state', 'complete');
  },
};

export const Indeterminate: Story = {
  args: { value: undefined, valueText: 'Preparing' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('progressbar')).not.toHaveAttribute('aria-valuenow');
  },
};
