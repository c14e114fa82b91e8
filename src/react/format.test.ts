import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent, progressOf, transferProgress } from './format';
import { defaultMessages, errorText, mergeMessages } from './messages';
import { progressText } from './progress-text';

describe('formatting', () => {
  it('formats sizes in decimal units in the given locale', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(1, 'en')).toBe('1 byte');
    expect(formatBytes(12_000_000, 'en')).toBe('12 MB');
    expect(formatBytes(1_073_741_824, 'en')).toBe('1.1 GB');
    expect(formatBytes(1_500, 'de')).toBe('1,5 kB');
  });

  it('never rounds an unfinished transfer up to 100%', () => {
    expect(formatPercent(0.996, 'en')).toBe('99%');
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(formatPercent(0.34, 'fr')).toMatch(/^34\s?%$/);
  });

  it('formats time left in seconds, minutes or hours', () => {
    expect(formatDuration(7.2, 'en')).toBe('8 sec');
    expect(formatDuration(125, 'en')).toBe('3 min');
    expect(formatDuration(5400, 'en')).toBe('1.5 hr');
  });

  it('has no progress while the total is unknown', () => {
    expect(progressOf(5, 0)).toBeUndefined();
    expect(progressOf(5, 10)).toBe(0.5);
  });

  it('counts a done transfer as whole, even one that moved no byte', () => {
    expect(transferProgress({ status: 'done', loaded: 0, total: 10 })).toBe(1);
    expect(transferProgress({ status: 'uploading', loaded: 5, total: 10 })).toBe(0.5);
    expect(transferProgress({ status: 'queued', loaded: 0, total: undefined })).toBeUndefined();
  });

  it('writes the readable progress value of a progress bar', () => {
    const text = progressText(
      { status: 'uploading', loaded: 12_000_000, total: 35_000_000, bytesPerSecond: 1, etaSeconds: 8 },
      defaultMessages,
      'en',
    );
    expect(text).toBe('34%, 12 MB of 35 MB, 8 sec left');
    const paused = progressText(
      { status: 'paused', loaded: 12_000_000, total: 35_000_000, bytesPerSecond: 0, etaSeconds: 8 },
      defaultMessages,
      'en',
    );
    expect(paused).toBe('34%, 12 MB of 35 MB');
  });
});

describe('messages', () => {
  it('merges overrides layer by layer, nested maps included', () => {
    const merged = mergeMessages(
      { cancel: 'Abbrechen', uploadStatus: { done: 'Fertig' } as never },
      { retry: 'Nochmal' },
    );
    expect(merged.cancel).toBe('Abbrechen');
    expect(merged.retry).toBe('Nochmal');
    expect(merged.uploadStatus.done).toBe('Fertig');
    expect(merged.uploadStatus.hashing).toBe(defaultMessages.uploadStatus.hashing);
  });

  it('prefers a friendly text for a known error code, else the error message', () => {
    expect(errorText(defaultMessages, { code: 'TOO_MANY_REQUESTS', message: 'x' })).toBe(
      defaultMessages.errors.TOO_MANY_REQUESTS,
    );
    expect(errorText(defaultMessages, { code: 'INVALID_INPUT', message: 'bad ttl' })).toBe('bad ttl');
    expect(errorText(defaultMessages, undefined)).toBe('');
  });
});

describe('progress of a download whose size is not known yet', () => {
  it('shows the bytes received only', () => {
    const text = progressText(
      {
        status: 'downloading',
        loaded: 3_000_000,
        total: undefined,
        bytesPerSecond: 1,
        etaSeconds: undefined,
      },
      defaultMessages,
      'en',
    );
    expect(text).toBe('3 MB');
    expect(progressOf(3, undefined)).toBeUndefined();
  });
});
