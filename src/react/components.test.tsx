// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ObjectStoreError } from '../core/errors';
import { relativePathOf } from './data-transfer';
import { DownloadButton } from './download-button';
import { DropZone } from './drop-zone';
import { FileCard } from './file-card';
import { ProgressBar } from './progress-bar';
import { ObjectStoreProvider } from './provider';
import { createScriptedClient, type ScriptedClient } from './test/scripted-client';
import { UploadList } from './upload-list';
import type { FileRejection } from './validate-files';

afterEach(cleanup);

function renderWith(ui: ReactNode, client: ScriptedClient = createScriptedClient()) {
  const queryClient = new QueryClient();
  const view = render(
    <ObjectStoreProvider client={client} queryClient={queryClient} locale="en">
      {ui}
    </ObjectStoreProvider>,
  );
  return { client, ...view };
}

const file = (name: string, size = 10, type = 'text/plain') =>
  new File([new Uint8Array(size)], name, { type });

describe('<ProgressBar>', () => {
  it('is a progressbar with a whole-percent value, a readable value and a state', () => {
    render(
      <ProgressBar
        value={0.345}
        label="Progress of a.txt"
        valueText="34%, 12 MB of 35 MB"
        className="mine"
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Progress of a.txt' });
    expect(bar.getAttribute('aria-valuenow')).toBe('34');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('34%, 12 MB of 35 MB');
    expect(bar.dataset.state).toBe('loading');
    expect(bar.className).toBe('od-progress mine');
    expect(bar.style.getPropertyValue('--od-progress')).toBe('0.345');
  });

  it('is indeterminate without a value', () => {
    render(<ProgressBar value={undefined} label="p" />);
    const bar = screen.getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.dataset.state).toBe('indeterminate');
  });
});

describe('<FileCard>', () => {
  it('shows name, size, type, progress with time left, and the actions of each state', async () => {
    const user = userEvent.setup();
    const { client } = renderWith(null);
    const task = client.upload(file('report.pdf', 35_000_000, 'application/pdf')) as ReturnType<
      ScriptedClient['upload']
    > &
      ScriptedClient['uploads'][number];
    cleanup();
    renderWith(<FileCard task={task} />, client);
    const card = screen.getByRole('group', { name: 'report.pdf' });
    expect(within(card).getByText('35 MB')).toBeTruthy();
    expect(within(card).getByText('application/pdf')).toBeTruthy();
    expect(card.dataset.state).toBe('queued');

    act(() =>
      task.set({ status: 'uploading', loaded: 12_000_000, bytesPerSecond: 1_000_000, etaSeconds: 8 }),
    );
    const bar = screen.getByRole('progressbar', { name: 'Progress of report.pdf' });
    expect(bar.getAttribute('aria-valuenow')).toBe('34');
    expect(bar.getAttribute('aria-valuetext')).toBe('34%, 12 MB of 35 MB, 8 sec left');
    expect(card.textContent).toContain('Uploading');

    await user.click(screen.getByRole('button', { name: 'Pause report.pdf' }));
    expect(card.dataset.state).toBe('paused');
    expect(screen.queryByRole('button', { name: 'Pause report.pdf' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Resume report.pdf' }));
    act(() => task.fail(new ObjectStoreError('CHECKSUM_MISMATCH', 'Checksum mismatch')));
    expect(card.dataset.state).toBe('failed');
    expect(card.dataset.error).toBe('CHECKSUM_MISMATCH');
    expect(card.textContent).toContain('The stored bytes did not match the file.');
    await user.click(screen.getByRole('button', { name: 'Retry report.pdf' }));
    await user.click(screen.getByRole('button', { name: 'Cancel report.pdf' }));
    expect(task.calls).toEqual(['pause', 'resume', 'retry', 'cancel']);
    expect(screen.getByRole('button', { name: 'Remove report.pdf' })).toBeTruthy();
  });

  it('says a running upload is recovering from a retryable error without calling it failed', () => {
    const { client } = renderWith(null);
    const task = client.upload(file('a.bin', 100)) as ScriptedClient['uploads'][number];
    cleanup();
    renderWith(<FileCard task={task} />, client);
    act(() =>
      task.set({
        status: 'queued',
        error: new ObjectStoreError('TOO_MANY_REQUESTS', '429', { retryAfterSeconds: 2 }),
      }),
    );
    const card = screen.getByRole('group', { name: 'a.bin' });
    expect(card.textContent).toContain('Waiting');
    expect(card.textContent).toContain('The store is busy');
    expect(card.textContent).not.toContain('Failed');
  });

  it('takes its strings from messages', () => {
    const { client } = renderWith(null);
    const task = client.upload(file('a.bin')) as ScriptedClient['uploads'][number];
    cleanup();
    renderWith(
      <FileCard task={task} messages={{ cancel: 'Abbrechen', cancelFile: (name) => `${name} abbrechen` }} />,
      client,
    );
    expect(screen.getByRole('button', { name: 'a.bin abbrechen' }).textContent).toBe('Abbrechen');
  });
});

describe('<UploadList>', () => {
  it('lists the uploads of the provider and announces each finish once', () => {
    const { client } = renderWith(<UploadList />);
    expect(screen.queryByRole('list')).toBeNull();
    act(() => {
      client.upload(file('a.txt'));
      client.upload(file('b.txt'));
    });
    const list = screen.getByRole('region', { name: 'Uploads' });
    expect(within(list).getByRole('listitem', { name: 'a.txt' }).dataset.state).toBe('queued');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    act(() => {
      client.uploads[0]!.store(client.objects);
    });
    expect(screen.getByRole('status').textContent).toBe('a.txt uploaded.');
    act(() => client.uploads[1]!.fail(new ObjectStoreError('NETWORK', 'offline')));
    expect(screen.getByRole('status').textContent).toBe('b.txt failed: The connection dropped.');
  });

  it('drops an item when its Remove button is pressed', async () => {
    const user = userEvent.setup();
    const { client } = renderWith(<UploadList />);
    act(() => {
      client.upload(file('a.txt'));
    });
    act(() => {
      client.uploads[0]!.store(client.objects);
    });
    await user.click(screen.getByRole('button', { name: 'Remove a.txt' }));
    expect(screen.queryByRole('listitem')).toBeNull();
  });
});

interface FakeEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (file: File) => void) => void;
  createReader?: () => { readEntries: (ok: (entries: FakeEntry[]) => void) => void };
}

const fileEntry = (f: File): FakeEntry => ({
  isFile: true,
  isDirectory: false,
  name: f.name,
  file: (ok) => ok(f),
});
function dirEntry(name: string, children: FakeEntry[]): FakeEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      // Like Chromium: entries come in batches, then an empty batch.
      const batches = [children.slice(0, 1), children.slice(1), []];
      return { readEntries: (ok) => ok(batches.shift() ?? []) };
    },
  };
}
const transferOf = (entries: FakeEntry[]) => ({
  types: ['Files'],
  files: [],
  items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null })),
});

describe('<DropZone>', () => {
  it('has a real button that opens the picker; picked files reach onFiles', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByRole('group', { name: 'Upload files' });
    expect(zone.dataset.state).toBe('idle');
    const button = screen.getByRole('button', { name: 'Choose files' });
    const input = zone.querySelector('input[type=file]') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    await user.tab();
    expect(document.activeElement).toBe(button);
    await user.keyboard('{Enter}');
    expect(click).toHaveBeenCalledTimes(1);
    await user.upload(input, [file('a.txt'), file('b.txt')]);
    expect(onFiles.mock.calls[0]?.[0].map((f: File) => f.name)).toEqual(['a.txt', 'b.txt']);
    expect(screen.getByRole('status').textContent).toBe('2 files added.');
  });

  it('shows and announces rejections as data: too large, wrong type, too many', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const onRejected = vi.fn<(rejections: FileRejection[]) => void>();
    const onFiles = vi.fn();
    render(
      <DropZone accept="image/*" maxSize={100} maxFiles={1} onFiles={onFiles} onRejected={onRejected} />,
    );
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    expect(input.accept).toBe('image/*');
    await user.upload(input, [
      file('big.png', 500, 'image/png'),
      file('doc.txt'),
      file('a.png', 1, 'image/png'),
      file('b.png', 1, 'image/png'),
    ]);
    expect(onFiles.mock.calls[0]?.[0].map((f: File) => f.name)).toEqual(['a.png']);
    expect(onRejected.mock.calls[0]?.[0].map((r) => [r.file.name, r.errors.map((e) => e.code)])).toEqual([
      ['big.png', ['file-too-large']],
      ['doc.txt', ['file-invalid-type']],
      ['b.png', ['too-many-files']],
    ]);
    const zone = screen.getByRole('group', { name: 'Upload files' });
    expect(zone.hasAttribute('data-rejected')).toBe(true);
    const items = within(zone).getAllByRole('listitem');
    expect(items.map((item) => item.dataset.code)).toEqual([
      'file-too-large',
      'file-invalid-type',
      'too-many-files',
    ]);
    expect(items[0]?.textContent).toBe('big.png Larger than 100 byte.');
    expect(screen.getByRole('status').textContent).toBe('1 file added. 3 files not added.');
  });

  it('shows the drag-over state while files hover, and takes dropped folders with relative paths', async () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByRole('group', { name: 'Upload files' });
    fireEvent.dragEnter(zone, { dataTransfer: { types: ['Files'] } });
    expect(zone.dataset.state).toBe('drag-over');
    fireEvent.dragEnter(screen.getByRole('button'), { dataTransfer: { types: ['Files'] } });
    fireEvent.dragLeave(screen.getByRole('button'), { dataTransfer: { types: ['Files'] } });
    expect(zone.dataset.state).toBe('drag-over');
    fireEvent.dragLeave(zone, { dataTransfer: { types: ['Files'] } });
    expect(zone.dataset.state).toBe('idle');

    const loose = file('notes.txt');
    const tree = dirEntry('photos', [
      fileEntry(file('a.jpg')),
      dirEntry('2024', [fileEntry(file('b.jpg'))]),
      fileEntry(file('c.jpg')),
    ]);
    fireEvent.drop(zone, { dataTransfer: transferOf([fileEntry(loose), tree]) });
    await waitFor(() => expect(onFiles).toHaveBeenCalledTimes(1));
    expect(onFiles.mock.calls[0]?.[0].map(relativePathOf)).toEqual([
      'notes.txt',
      'photos/a.jpg',
      'photos/2024/b.jpg',
      'photos/c.jpg',
    ]);
    expect(zone.dataset.state).toBe('idle');
  });

  it('ignores drags that carry no files', () => {
    render(<DropZone onFiles={() => {}} />);
    const zone = screen.getByRole('group');
    fireEvent.dragEnter(zone, { dataTransfer: { types: ['text/plain'] } });
    expect(zone.dataset.state).toBe('idle');
  });

  it('takes pasted files', async () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const pasted = file('screenshot.png', 5, 'image/png');
    fireEvent.paste(screen.getByRole('button'), {
      clipboardData: {
        types: ['Files'],
        files: [pasted],
        items: [{ kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => pasted }],
      },
    });
    await waitFor(() => expect(onFiles).toHaveBeenCalledWith([pasted], []));
  });

  it('does nothing when disabled', async () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} disabled />);
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);
    const zone = screen.getByRole('group');
    expect(zone.dataset.state).toBe('disabled');
    fireEvent.drop(zone, { dataTransfer: transferOf([fileEntry(file('a.txt'))]) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('with `upload`, uploads through the provider so an UploadList elsewhere shows the files', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { client } = renderWith(
      <>
        <DropZone upload={{ ttlSeconds: 30 }} />
        <div>
          <UploadList />
        </div>
      </>,
    );
    await user.upload(document.querySelector('input[type=file]') as HTMLInputElement, [file('a.txt')]);
    expect(client.uploads.map((task) => [task.file, task.options])).toEqual([
      [expect.any(File), { ttlSeconds: 30 }],
    ]);
    expect(screen.getByRole('listitem', { name: 'a.txt' })).toBeTruthy();
  });
});

describe('<DownloadButton>', () => {
  it('starts a download to a file, shows its progress, cancels and retries', async () => {
    const user = userEvent.setup();
    const onError = vi.fn();
    const { client } = renderWith(<DownloadButton objectKey="docs/report.pdf" onError={onError} />);
    await user.click(screen.getByRole('button', { name: 'Download report.pdf' }));
    expect(client.downloads[0]?.options).toEqual({ to: 'file', fileName: 'report.pdf' });
    const task = client.downloads[0]!;
    act(() => task.set({ status: 'downloading', loaded: 50, total: 200, etaSeconds: 3 }));
    const bar = screen.getByRole('progressbar', { name: 'Progress of report.pdf' });
    expect(bar.getAttribute('aria-valuetext')).toBe('25%, 50 byte of 200 byte, 3 sec left');
    expect((screen.getByRole('button', { name: 'Download report.pdf' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    act(() => task.set({ status: 'verifying', loaded: 200 }));
    expect(bar.dataset.state).toBe('verifying');
    expect(screen.getByText('Verifying')).toBeTruthy();
    act(() => task.fail(new ObjectStoreError('CHECKSUM_MISMATCH', 'bad')));
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(screen.getByText('The stored bytes did not match the file.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Retry report.pdf' }));
    expect(client.downloads).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Cancel report.pdf' }));
    expect(client.downloads[1]?.calls).toEqual(['cancel']);
  });
});
