import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChecksumType } from '../core/types';
import { setUpTestStores, sha256 } from './__tests__/harness';
import { checksumOf } from './checksums';
import { objectFilePath } from './disk';

const { clock, start } = setUpTestStores();

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the JSON API', () => {
  it('keeps createdAt, moves updatedAt and gives a new currentVersion on overwrite', async () => {
    const s = await start();
    expect((await s.upload({ key: 'k' }, bytes('one'))).status).toBe(200);
    const first = await (await s.api('metadata', { key: 'k' })).json();
    clock.now += 5000;
    expect((await s.upload({ key: 'k' }, bytes('two!'))).status).toBe(200);
    const second = await (await s.api('metadata', { key: 'k' })).json();
    expect(second.createdAt).toBe(first.createdAt);
    expect(Date.parse(second.updatedAt) - Date.parse(first.updatedAt)).toBe(5000);
    expect(second.currentVersion).not.toBe(first.currentVersion);
    expect(second.size).toBe(4);
  });

  it('refuses overwrite:false on an existing key with 409, at presign and at PUT', async () => {
    const s = await start();
    const data = bytes('first');
    const lateUrl = await s.uploadUrl({ key: 'k', overwrite: false }, data);
    expect((await s.upload({ key: 'k' }, data)).status).toBe(200);
    const presign = await s.api('public-upload-url', {
      key: 'k',
      length: 1,
      checksum: sha256(bytes('x')),
      checksumType: 'SHA256',
      overwrite: false,
    });
    expect(presign.status).toBe(409);
    expect(await presign.json()).toMatchObject({ code: 'OBJECT_EXISTS' });
    const put = await fetch(lateUrl, { method: 'PUT', body: data });
    expect(put.status).toBe(409);
    expect(await put.json()).toMatchObject({ code: 'OBJECT_EXISTS' });
  });

  it('settles concurrent PUTs of one key on exactly one of them, leaving one version on disk', async () => {
    const s = await start();
    const bodies = Array.from({ length: 6 }, (_, i) => bytes(`version ${i} `.repeat(1000 * (i + 1))));
    const urls = await Promise.all(bodies.map((body) => s.uploadUrl({ key: 'race' }, body)));
    const puts = await Promise.all(urls.map((url, i) => fetch(url, { method: 'PUT', body: bodies[i] })));
    expect(puts.map((put) => put.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const reference = await (await s.api('metadata', { key: 'race' })).json();
    const winner = bodies.find((body) => sha256(body) === reference.checksum)!;
    expect(reference.size).toBe(winner.length);
    const got = Buffer.from(await (await fetch(await s.downloadUrl('race'))).arrayBuffer());
    expect(sha256(got)).toBe(reference.checksum);
    expect(await readdir(join(s.dir, 'objects', 'default'))).toHaveLength(2);
  });

  it('stores and serves the same with durable: true', async () => {
    const s = await start({ durable: true });
    const data = bytes('flushed to the device');
    expect((await s.upload({ key: 'd' }, data)).status).toBe(200);
    expect(Buffer.from(await (await fetch(await s.downloadUrl('d'))).arrayBuffer()).toString()).toBe(
      'flushed to the device',
    );
  });

  it('keeps the bytes where objectFilePath says', async () => {
    const s = await start();
    const data = bytes('on disk');
    await s.upload({ key: 'where', cdn: true }, data);
    const reference = await (await s.api('metadata', { key: 'where', cdn: true })).json();
    expect(sha256(await readFile(objectFilePath(s.dir, reference, { cdn: true })))).toBe(sha256(data));
  });

  it('deletes with 204, after which metadata and download URLs are 404', async () => {
    const s = await start();
    await s.upload({ key: 'k' }, bytes('bye'));
    expect((await s.api('delete', { key: 'k' })).status).toBe(204);
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
    expect((await s.api('public-download-url', { key: 'k' })).status).toBe(404);
    expect((await s.api('delete', { key: 'k' })).status).toBe(204);
    expect(await readdir(join(s.dir, 'objects', 'default'))).toEqual([]);
  });

  it('makes an object with ttlSeconds disappear after it', async () => {
    const s = await start();
    await s.upload({ key: 'k', ttlSeconds: 60 }, bytes('short-lived'));
    const url = await s.downloadUrl('k');
    clock.now += 59_000;
    expect((await s.api('metadata', { key: 'k' })).status).toBe(200);
    clock.now += 2000;
    expect((await s.api('metadata', { key: 'k' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
    expect(await readdir(join(s.dir, 'objects', 'default'))).toEqual([]);
  });

  it.each(['SHA1', 'SHA256', 'CRC32', 'CRC32C'] as ChecksumType[])(
    'verifies %s uploads',
    async (checksumType) => {
      const s = await start();
      const data = bytes(`payload for ${checksumType}`);
      const good = await s.upload(
        { key: checksumType, checksumType, checksum: checksumOf(checksumType, data) },
        data,
      );
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ checksumType, checksum: checksumOf(checksumType, data) });
      const other = bytes(`payload for ${checksumType}!`.slice(1));
      const url = await s.uploadUrl(
        { key: `${checksumType}-bad`, checksumType, checksum: checksumOf(checksumType, data) },
        data,
      );
      const bad = await fetch(url, { method: 'PUT', body: other.subarray(0, data.length) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    },
  );

  it('stores any key under dir without escaping it', async () => {
    const s = await start();
    const keys = ['../../etc/passwd', 'a\u0000b', 'dir/sub/file', '🙂 emoji', '.', '..', 'x'.repeat(900)];
    for (const key of keys) {
      const data = bytes(`content of ${key.length}`);
      expect((await s.upload({ key }, data)).status).toBe(200);
      const reference = await (await s.api('metadata', { key })).json();
      expect(reference.key).toBe(key);
      expect(Buffer.from(await (await fetch(await s.downloadUrl(key))).arrayBuffer()).toString()).toBe(
        `content of ${key.length}`,
      );
    }
    const names = await readdir(join(s.dir, 'objects', 'default'));
    expect(names).toHaveLength(keys.length * 2);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{64}\.(json|[0-9a-z]+-[0-9a-f]+\.bin)$/);
  });

  it('refuses length over the maximum object size with 413 OBJECT_TOO_LARGE', async () => {
    const s = await start();
    const response = await s.api('public-upload-url', {
      key: 'big',
      length: 1024 ** 3 + 1,
      checksum: sha256(bytes('')),
      checksumType: 'SHA256',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'OBJECT_TOO_LARGE' });
    const atLimit = await s.api('public-upload-url', {
      key: 'big',
      length: 1024 ** 3,
      checksum: sha256(bytes('')),
      checksumType: 'SHA256',
    });
    expect(atLimit.status).toBe(200);
  });

  it('takes a 1024-byte body and refuses 1025 bytes with 413 before parsing', async () => {
    const s = await start();
    const body = (size: number) => {
      const shell = JSON.stringify({ key: '' });
      return JSON.stringify({ key: 'k'.repeat(size - shell.length) });
    };
    expect(body(1024)).toHaveLength(1024);
    expect((await s.api('metadata', body(1024))).status).toBe(404);
    const over = await s.api('metadata', body(1025));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // Not JSON at all, but too large: the size decides first.
    expect((await s.api('metadata', '{'.repeat(2000))).status).toBe(413);
  });

  it('answers unknown API paths with 404 and other methods with 405', async () => {
    const s = await start();
    expect((await s.api('nope', { key: 'k' })).status).toBe(404);
    expect((await fetch(`${s.url}/api/v1/metadata`)).status).toBe(405);
    expect((await fetch(`${s.url}/elsewhere`)).status).toBe(404);
  });
});

describe('bad input', () => {
  const checksum = sha256(bytes('x'));
  const valid = { key: 'k', length: 1, checksum, checksumType: 'SHA256' };
  it.each([
    ['public-upload-url', 'not json', 'body'],
    ['public-upload-url', '[1]', 'body'],
    ['public-upload-url', '', 'body'],
    ['public-upload-url', { ...valid, key: undefined }, 'key'],
    ['public-upload-url', { ...valid, key: '' }, 'key'],
    ['public-upload-url', { ...valid, key: 42 }, 'key'],
    ['public-upload-url', '{"key":"\\ud800","length":1}', 'key'],
    ['public-upload-url', { ...valid, length: undefined }, 'length'],
    ['public-upload-url', { ...valid, length: -1 }, 'length'],
    ['public-upload-url', { ...valid, length: 1.5 }, 'length'],
    ['public-upload-url', { ...valid, length: '1' }, 'length'],
    ['public-upload-url', { ...valid, checksumType: 'MD5' }, 'checksumType'],
    ['public-upload-url', { ...valid, checksum: 'abc' }, 'checksum'],
    ['public-upload-url', { ...valid, checksum: 5 }, 'checksum'],
    ['public-upload-url', { ...valid, ttlSeconds: 0 }, 'ttlSeconds'],
    ['public-upload-url', { ...valid, ttlSeconds: -3 }, 'ttlSeconds'],
    ['public-upload-url', { ...valid, ttlSeconds: '60' }, 'ttlSeconds'],
    ['upload-url', { ...valid, overwrite: 'yes' }, 'overwrite'],
    ['upload-url', { ...valid, cdn: 1 }, 'cdn'],
    ['upload-url', { ...valid, contentType: 'text/plain\r\nX-Evil: 1' }, 'contentType'],
    ['metadata', {}, 'key'],
    ['metadata', { key: 'k', cdn: 'true' }, 'cdn'],
    ['delete', { key: null }, 'key'],
    ['download-url', { key: ['k'] }, 'key'],
    ['cdn-url', { key: 'k', ttlSeconds: 0 }, 'ttlSeconds'],
    ['cdn-url', { key: 'k', ttlSeconds: 2_505_601 }, 'ttlSeconds'],
  ])('%s with %j → 400 naming %s', async (path, body, field) => {
    const s = await start();
    const response = await s.api(path, body);
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });
});

describe('rate limits per installation', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After past the per-minute limit', async () => {
    const s = await start({ limits: { requestsPerMinute: 3 } });
    const ask = (installation: string) =>
      s.api('metadata', { key: 'k' }, { 'x-installation-id': installation });
    for (let i = 0; i < 3; i++) expect((await ask('a')).status).toBe(404);
    const limited = await ask('a');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await ask('b')).status).toBe(404);
    clock.now += 60_000;
    expect((await ask('a')).status).toBe(404);
  });

  it('limits pre-signed URL creations per second', async () => {
    const s = await start({ limits: { presignsPerSecond: 2 } });
    const data = bytes('x');
    await s.uploadUrl({ key: 'a' }, data);
    await s.uploadUrl({ key: 'b' }, data);
    const limited = await s.api('public-upload-url', {
      key: 'c',
      length: 1,
      checksum: sha256(data),
      checksumType: 'SHA256',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await s.api('metadata', { key: 'a' })).status).toBe(404);
    clock.now += 1000;
    await s.uploadUrl({ key: 'c' }, data);
  });
});

describe('start-up sweep', () => {
  it('removes temp files and versions no metadata points to', async () => {
    const first = await start();
    await first.upload({ key: 'kept' }, bytes('kept'));
    await first.upload({ key: 'expiring', ttlSeconds: 60 }, bytes('expiring'));
    const dir = first.dir;
    await first.server.close();
    first.server.closeAllConnections();
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'tmp', 'half-written'), 'partial');
    await writeFile(join(dir, 'objects', 'default', `${'0'.repeat(64)}.abc-123.bin`), 'orphan');
    const again = await start({ dir, now: () => clock.now + 61_000 });
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, 'objects', 'default'))).toHaveLength(2);
    const reference = await (await again.api('metadata', { key: 'kept' })).json();
    expect(reference.size).toBe(4);
  });
});

describe('upload URLs in batches (public-upload-urls)', () => {
  const bodyFor = (key: string, data: Uint8Array) => ({
    key,
    length: data.length,
    checksum: sha256(data),
    checksumType: 'SHA256',
  });

  it('answers one working URL per body, in order', async () => {
    const s = await start();
    const files = ['one', 'two!', 'three'].map(bytes);
    const response = await s.api('public-upload-urls', {
      uploads: files.map((data, i) => bodyFor(`batch/${i}`, data)),
    });
    expect(response.status).toBe(200);
    const { urls } = (await response.json()) as { urls: Array<{ url: string }> };
    expect(urls).toHaveLength(3);
    for (const [i, { url }] of urls.entries())
      expect((await fetch(url, { method: 'PUT', body: files[i] })).status).toBe(200);
    for (const [i, data] of files.entries())
      expect(await (await s.api('metadata', { key: `batch/${i}` })).json()).toMatchObject({
        size: data.length,
        checksum: sha256(data),
      });
  });

  it('fails the whole batch when one body is bad, naming it', async () => {
    const s = await start();
    const data = bytes('x');
    const bad = await s.api('public-upload-urls', {
      uploads: [bodyFor('fine', data), { ...bodyFor('', data) }],
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    const tooLong = await s.api('public-upload-urls', {
      uploads: [bodyFor('fine', data), bodyFor('k'.repeat(1000), data)],
    });
    expect(tooLong.status).toBe(413);
    expect((await tooLong.json()).message).toMatch(/^uploads\[1\]/);
  });

  it('takes 1 to 32 bodies', async () => {
    const s = await start();
    const data = bytes('x');
    const many = (count: number) =>
      s.api('public-upload-urls', {
        uploads: Array.from({ length: count }, (_, i) => bodyFor(`k${i}`, data)),
      });
    expect((await many(32)).status).toBe(200);
    expect((await many(33)).status).toBe(400);
    expect((await many(0)).status).toBe(400);
    expect((await s.api('public-upload-urls', { uploads: 'no' })).status).toBe(400);
  });

  it('counts every URL of a batch against the per-second presign limit', async () => {
    const s = await start({ limits: { presignsPerSecond: 3 } });
    const data = bytes('x');
    const batch = (keys: string[]) =>
      s.api('public-upload-urls', { uploads: keys.map((k) => bodyFor(k, data)) });
    expect((await batch(['a', 'b'])).status).toBe(200);
    const limited = await batch(['c', 'd']);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
  });
});
