import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fireEvent, fn, userEvent, waitFor, within } from 'storybook/test';
import { DropZone } from '../src/react/drop-zone';

const meta = {
  title: 'Components/DropZone',
  component: DropZone,
  args: { onFiles: fn(), onRejected: fn() },
} satisfies Meta<typeof DropZone>;
export default meta;

type Story = StoryObj<typeof meta>;

const file = (name: string, size: number, type: string) => new File([new Uint8Array(size)], name, { type });

const zoneOf = (canvasElement: HTMLElement) =>
  within(canvasElement).getByRole('group', { name: 'Upload files' });
const inputOf = (canvasElement: HTMLElement) =>
  canvasElement.querySelector('input[type=file]') as HTMLInputElement;

/** Picks files through the hidden input, as the picker would (accept filtering is ours to test). */
async function pick(canvasElement: HTMLElement, files: File[]) {
  await userEvent.setup({ applyAccept: false }).upload(inputOf(canvasElement), files);
}

export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-state', 'idle');
    await expect(within(canvasElement).getByRole('button', { name: 'Choose files' })).toBeEnabled();
  },
};

export const DragOver: Story = {
  play: async ({ canvasElement }) => {
    const zone = zoneOf(canvasElement);
    // A real DataTransfer where the browser has one (Chromium); its shape elsewhere (jsdom).
    if (typeof DataTransfer === 'function') {
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(file('a.txt', 1, 'text/plain'));
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));
    } else {
      fireEvent.dragEnter(zone, { dataTransfer: { types: ['Files'] } });
    }
    await waitFor(() => expect(zone).toHaveAttribute('data-state', 'drag-over'));
    await expect(zone).toHaveTextContent('Drop to add');
  },
};

export const Accepted: Story = {
  play: async ({ canvasElement, args }) => {
    await pick(canvasElement, [file('a.txt', 10, 'text/plain'), file('b.txt', 10, 'text/plain')]);
    await expect(args.onFiles).toHaveBeenCalledTimes(1);
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('2 files added.');
  },
};

export const RejectedTooLarge: Story = {
  args: { maxSize: 1_000_000 },
  play: async ({ canvasElement, args }) => {
    await pick(canvasElement, [file('huge.mov', 1_500_000, 'video/quicktime')]);
    await expect(args.onRejected).toHaveBeenCalledTimes(1);
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-rejected');
    await expect(zoneOf(canvasElement)).toHaveTextContent('huge.mov Larger than 1 MB.');
  },
};

export const RejectedWrongType: Story = {
  args: { accept: 'image/*,.pdf' },
  play: async ({ canvasElement }) => {
    await pick(canvasElement, [file('notes.txt', 10, 'text/plain')]);
    await expect(zoneOf(canvasElement)).toHaveTextContent('notes.txt Not an accepted type (image/*, .pdf).');
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('1 file not added.');
  },
};

export const RejectedTooMany: Story = {
  args: { maxFiles: 2 },
  play: async ({ canvasElement, args }) => {
    await pick(
      canvasElement,
      ['a', 'b', 'c', 'd'].map((name) => file(`${name}.txt`, 1, 'text/plain')),
    );
    await expect(args.onFiles).toHaveBeenCalledTimes(1);
    await expect(zoneOf(canvasElement)).toHaveTextContent('c.txt More than 2 files at once.');
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent(
      '2 files added. 2 files not added.',
    );
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement }) => {
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-state', 'disabled');
    await expect(within(canvasElement).getByRole('button', { name: 'Choose files' })).toBeDisabled();
  },
};

export const CustomMessages: Story = {
  args: {
    messages: {
      dropZoneLabel: 'Dateien hochladen',
      dropZoneHint: 'Dateien hierher ziehen oder',
      chooseFiles: 'Dateien auswählen',
    },
  },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('group', { name: 'Dateien hochladen' })).toBeVisible();
    await expect(within(canvasElement).getByRole('button', { name: 'Dateien auswählen' })).toBeEnabled();
  },
};

export const WithFolderPicker: Story = {
  args: { folders: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Choose a folder' })).toBeEnabled();
  },
};
