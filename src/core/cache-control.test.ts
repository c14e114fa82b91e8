import { describe, expect, it } from 'vitest';
import { DOWNLOAD_CACHE_CONTROL, downloadCacheControl, isNoStore } from './cache-control';

describe('isNoStore', () => {
  it('finds the directive among others, in any case', () => {
    expect(isNoStore(DOWNLOAD_CACHE_CONTROL)).toBe(true);
    expect(isNoStore('NO-STORE')).toBe(true);
    expect(isNoStore('max-age=0,no-store')).toBe(true);
  });

  it('is false without it, for a name that only contains it, and with no header', () => {
    expect(isNoStore(downloadCacheControl(undefined, { cacheableDownloads: true }))).toBe(false);
    expect(isNoStore(downloadCacheControl(60, {}))).toBe(false);
    expect(isNoStore('x-no-store-hint')).toBe(false);
    expect(isNoStore(null)).toBe(false);
  });
});
