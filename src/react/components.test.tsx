// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relativePathOf } from './data-transfer';
import { DownloadButton } from './download-button';
import { DropZone } from './drop-zone';
import { FileCard } from './file-card';
import { ProgressBar } from './progress-bar';
import { ObjectStoreProvider } from './provider';
import { createMemoryClient, createTestClient, store } from './test/test-client';
import { UploadList } from './upload-list';
import type { FileRejection } from './validate-files';

afterEach(cleanup);

function renderWith(ui: ReactNode, harness = createTestClient()) {
  const queryClient = new QueryClient();
  const view = render(
    <ObjectStoreProvider client={harness.client} queryClient={queryClient} locale="en">
      {ui}
    </ObjectStoreProvider>,
  );
  return { ...harness, ...view };
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
    let clock = 0;
    const harness = createTestClient({ now: () => clock });
    const task = harness.client.upload(file('report.pdf', 35_000_000, 'application/pdf'), { key: 'r' });
    const { transport } = renderWith(<FileCard task={task} />, harness);
    const card = screen.getByRole('group', { name: 'report.pdf' });
    expect(within(card).getByText('35 MB')).toBeTruthy();
    expect(within(card).getByText('application/pdf')).toBeTruthy();

    const put = await transport.next();
    await waitFor(() => expect(card.dataset.state).toBe('uploading'));
    clock = 4173;
    act(() => put.progress(12_000_000));
    const bar = screen.getByRole('progressbar', { name: 'Progress of report.pdf' });
    expect(bar.getAttribute('aria-valuenow')).toBe('34');
    expect(bar.getAttribute('aria-valuetext')).toBe('34%, 12 MB of 35 MB, 8 sec left');
    expect(card.textContent).toContain('Uploading');

    await user.click(screen.getByRole('button', { name: 'Pause report.pdf' }));
    expect(card.dataset.state).toBe('paused');
    expect(put.aborted).toBe(true);
    expect(screen.queryByRole('button', { name: 'Pause report.pdf' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Resume report.pdf' }));
    const again = await transport.next();
    act(() =>
      again.respond(400, JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'Checksum mismatch' })),
    );
    await waitFor(() => expect(card.dataset.state).toBe('failed'));
    expect(card.dataset.error).toBe('CHECKSUM_MISMATCH');
    expect(card.textContent).toContain('The stored bytes did not match the file.');
    expect(screen.queryByRole('button', { name: 'Cancel report.pdf' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Retry report.pdf' }));
    const third = await transport.next();
    await user.click(screen.getByRole('button', { name: 'Cancel report.pdf' }));
    expect(third.aborted).toBe(true);
    expect(card.dataset.state).toBe('canceled');
    expect(screen.getByRole('button', { name: 'Remove report.pdf' })).toBeTruthy();
  });

  it('keeps keyboard focus in the card as its buttons change', async () => {
    const user = userEvent.setup();
    const harness = createTestClient();
    const task = harness.client.upload(file('a.bin', 100), { key: 'a' });
    const { transport } = renderWith(<FileCard task={task} />, harness);
    await transport.next();
    await user.tab();
    const pause = screen.getByRole('button', { name: 'Pause a.bin' });
    expect(document.activeElement).toBe(pause);
    await user.keyboard('{Enter}');
    // Pause turned into Resume in place.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Resume a.bin' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel a.bin' }));
    await user.keyboard('{Enter}');
    // Cancel is gone; focus lands on the card's first button (Retry), not on <body>.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Retry a.bin' }));
    await user.keyboard('{Enter}');
    await transport.next();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Pause a.bin' }));
    act(() => task.cancel());
  });

  it('shows hashing progress before the upload starts', async () => {
    let finishHash!: () => void;
    const harness = createTestClient({
      hasher: async (_blob, _type, options) => {
        options?.onProgress?.(40);
        await new Promise<void>((resolve) => {
          finishHash = resolve;
        });
        return 'x';
      },
    });
    const task = harness.client.upload(file('big.iso', 100), { key: 'b' });
    renderWith(<FileCard task={task} />, harness);
    const bar = screen.getByRole('progressbar', { name: 'Progress of big.iso' });
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toBe('Checking file, 40%'));
    expect(bar.dataset.state).toBe('hashing');
    act(() => task.cancel());
    finishHash();
  });

  it('says a running upload is recovering from a 429 without calling it failed', async () => {
    const harness = createTestClient();
    const task = harness.client.upload(file('a.bin', 100), { key: 'a' });
    const { transport } = renderWith(<FileCard task={task} />, harness);
    const put = await transport.next();
    act(() =>
      put.respond(429, JSON.stringify({ code: 'TOO_MANY_REQUESTS', message: 'slow down' }), {
        'retry-after': '2',
      }),
    );
    const card = screen.getByRole('group', { name: 'a.bin' });
    await waitFor(() => expect(card.hasAttribute('data-recovering')).toBe(true));
    expect(card.dataset.error).toBe('TOO_MANY_REQUESTS');
    expect(card.textContent).toContain('The store is busy');
    expect(card.textContent).not.toContain('Failed');
    act(() => task.cancel());
    expect(card.hasAttribute('data-recovering')).toBe(false);
  });

  it('takes its strings from messages', () => {
    const harness = createTestClient();
    const task = harness.client.upload(file('a.bin'));
    renderWith(
      <FileCard task={task} messages={{ cancel: 'Abbrechen', cancelFile: (name) => `${name} abbrechen` }} />,
      harness,
    );
    expect(screen.getByRole('button', { name: 'a.bin abbrechen' }).textContent).toBe('Abbrechen');
    act(() => task.cancel());
  });
});

describe('<UploadList>', () => {
  it('lists the uploads of the provider and announces each finish once', async () => {
    const { client, fake, transport } = renderWith(<UploadList />);
    expect(screen.queryByRole('list')).toBeNull();
    act(() => {
      client.upload(file('a.txt'), { key: 'a' });
      client.upload(file('b.txt', 20), { key: 'b' });
    });
    const list = screen.getByRole('region', { name: 'Uploads' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    const puts = [await transport.next(), await transport.next()];
    await act(() => fake.serve(puts.find((put) => put.body?.size === 10)!));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('a.txt uploaded.'));
    expect(within(list).getByRole('listitem', { name: 'a.txt' }).dataset.state).toBe('done');
    act(() =>
      puts
        .find((put) => put.body?.size === 20)!
        .respond(409, JSON.stringify({ code: 'OBJECT_EXISTS', message: 'x' })),
    );
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'b.txt failed: A file with this name already exists.',
      ),
    );
  });

  it('renders its items again on status changes, not on every progress event', async () => {
    const renderItem = vi.fn((task: { id: string }) => task.id);
    const { client, transport } = renderWith(<UploadList renderItem={renderItem} />);
    act(() => {
      client.upload(file('a.txt', 1000), { key: 'a' });
    });
    const put = await transport.next();
    await waitFor(() => expect(client.uploads[0]?.getSnapshot().status).toBe('uploading'));
    const before = renderItem.mock.calls.length;
    act(() => put.progress(100));
    act(() => put.progress(200));
    act(() => put.progress(300));
    expect(client.uploads[0]?.getSnapshot().loaded).toBe(300);
    expect(renderItem.mock.calls.length).toBe(before);
    act(() => client.uploads[0]?.cancel());
    expect(renderItem.mock.calls.length).toBeGreaterThan(before);
  });

  it('moves focus to the next card when a removed card had it', async () => {
    const user = userEvent.setup();
    const { client, serve } = renderWith(<UploadList />);
    serve();
    let done!: Promise<unknown>;
    act(() => {
      done = Promise.all([client.upload(file('a.txt')).done, client.upload(file('b.txt')).done]);
    });
    await act(() => done);
    screen.getByRole('button', { name: 'Remove a.txt' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove b.txt' }));
  });

  it('drops an item when its Remove button is pressed', async () => {
    const user = userEvent.setup();
    const { client, serve } = renderWith(<UploadList />);
    serve();
    let done!: Promise<unknown>;
    act(() => {
      done = client.upload(file('a.txt')).done;
    });
    await act(() => done);
    await user.click(screen.getByRole('button', { name: 'Remove a.txt' }));
    expect(screen.queryByRole('listitem')).toBeNull();
    // Nothing left to focus in the list: the list itself takes focus, not <body>.
    expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Uploads' }));
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
    // The same news again still changes the live region, so it is read again.
    await user.upload(input, [file('c.txt'), file('d.txt')]);
    expect(screen.getByRole('status').textContent).toBe('2 files added.\u200b');
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
    expect(items[0]?.textContent).toBe('big.png Larger than 100 bytes.');
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

  it('offers a folder picker, for keyboard users who cannot drag a folder', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} folders accept=".jpg" />);
    const inputs = document.querySelectorAll<HTMLInputElement>('input[type=file]');
    expect(inputs).toHaveLength(2);
    const folderInput = inputs[1]!;
    expect((folderInput as HTMLInputElement & { webkitdirectory?: boolean }).webkitdirectory).toBe(true);
    expect(folderInput.accept).toBe('');
    const click = vi.spyOn(folderInput, 'click');
    await user.click(screen.getByRole('button', { name: 'Choose a folder' }));
    expect(click).toHaveBeenCalledTimes(1);
    await user.upload(folderInput, [file('a.jpg', 1, 'image/jpeg'), file('b.txt')]);
    expect(onFiles.mock.calls[0]?.[0].map((f: File) => f.name)).toEqual(['a.jpg']);
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
    const { client, fake } = renderWith(
      <>
        <DropZone upload={{ ttlSeconds: 30 }} />
        <div>
          <UploadList />
        </div>
      </>,
    );
    await user.upload(document.querySelector('input[type=file]') as HTMLInputElement, [file('a.txt')]);
    await waitFor(() => expect(fake.presigns).toMatchObject([{ ttlSeconds: 30, length: 10 }]));
    expect(client.uploads.map((task) => task.getSnapshot().name)).toEqual(['a.txt']);
    expect(screen.getByRole('listitem', { name: 'a.txt' })).toBeTruthy();
  });
});

describe('<DownloadButton>', () => {
  it('downloads with progress, stays focusable while running, cancels, fails verification and retries', async () => {
    const user = userEvent.setup();
    const { backend, client } = createMemoryClient();
    const bytes = new Uint8Array(200_000).map((_, i) => i % 253);
    await store(client, 'docs/report.pdf', bytes);
    backend.setFaults({ bytesPerSecond: 10_000 });
    const onDone = vi.fn();
    const onError = vi.fn();
    render(
      <ObjectStoreProvider client={client} locale="en">
        <DownloadButton
          objectKey="docs/report.pdf"
          to="blob"
          segmentSize={10_000}
          parallel={1}
          onDone={onDone}
          onError={onError}
        />
      </ObjectStoreProvider>,
    );
    const main = screen.getByRole('button', { name: 'Download report.pdf' });
    await user.click(main);
    const bar = await screen.findByRole('progressbar', { name: 'Progress of report.pdf' });
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0), {
      timeout: 5000,
    });
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^\d+%, [\d.]+ kB of 200 kB/);
    expect(main.getAttribute('aria-disabled')).toBe('true');
    await user.click(main);
    expect(client.downloads).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Cancel report.pdf' }));
    await waitFor(() => expect(main.closest('.od-download')?.getAttribute('data-state')).toBe('canceled'));
    // The Cancel button is gone: focus is back on the download button, not on <body>.
    expect(document.activeElement).toBe(main);

    backend.setFaults({ bytesPerSecond: null, corruptDownload: true });
    await user.click(main);
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(screen.getByText('The stored bytes did not match the file.')).toBeTruthy();

    backend.setFaults({ corruptDownload: null });
    await user.click(screen.getByRole('button', { name: 'Retry report.pdf' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect((onDone.mock.calls[0]![0] as Blob).size).toBe(200_000);
    await waitFor(() => expect(screen.getByText('Downloaded')).toBeTruthy());
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  }, 20_000);
});
