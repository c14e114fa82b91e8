// Real Chromium: drops and pastes carry real DataTransfer objects, and uploads run through the
// real engine and the in-memory store.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createObjectStore } from '../core/client';
import { createMemoryBackend } from '../testing/memory-backend';
import { relativePathOf } from './data-transfer';
import { DropZone } from './drop-zone';
import { ObjectStoreProvider } from './provider';
import { UploadList } from './upload-list';

afterEach(cleanup);

function transferOf(files: File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  return transfer;
}

describe('<DropZone> in Chromium', () => {
  it('takes files dropped with a real DataTransfer and shows the drag-over state meanwhile', async () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByRole('group', { name: 'Upload files' });
    const transfer = transferOf([new File(['a'], 'a.txt'), new File(['bb'], 'b.txt')]);
    zone.dispatchEvent(
      new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
    await waitFor(() => expect(zone.dataset.state).toBe('drag-over'));
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true });
    zone.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await waitFor(() => expect(onFiles).toHaveBeenCalledTimes(1));
    expect(onFiles.mock.calls[0]?.[0].map(relativePathOf)).toEqual(['a.txt', 'b.txt']);
    expect(zone.dataset.state).toBe('idle');
  });

  it('takes files pasted while its button has focus', async () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const button = screen.getByRole('button', { name: 'Choose files' });
    button.focus();
    const transfer = transferOf([new File(['png'], 'screenshot.png', { type: 'image/png' })]);
    button.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
    );
    await waitFor(() => expect(onFiles).toHaveBeenCalledTimes(1));
    expect(onFiles.mock.calls[0]?.[0][0].name).toBe('screenshot.png');
  });

  it('uploads dropped files through the real engine; an UploadList elsewhere shows them done', async () => {
    const backend = createMemoryBackend({ latencyMs: 5 });
    const client = createObjectStore({ backend });
    render(
      <ObjectStoreProvider client={client}>
        <DropZone upload={{ ttlSeconds: 600 }} />
        <aside>
          <UploadList />
        </aside>
      </ObjectStoreProvider>,
    );
    const zone = screen.getByRole('group', { name: 'Upload files' });
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const transfer = transferOf([
      new File([bytes], 'big.bin'),
      new File(['x'], 'small.txt', { type: 'text/plain' }),
    ]);
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    const list = await screen.findByRole('region', { name: 'Uploads' });
    await waitFor(() =>
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((item) => item.dataset.state),
      ).toEqual(['done', 'done']),
    );
    const bar = within(list).getByRole('progressbar', { name: 'Progress of big.bin' });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(
      backend
        .objects()
        .map((object) => object.size)
        .sort((a, b) => a - b),
    ).toEqual([1, 300_000]);
  });
});
