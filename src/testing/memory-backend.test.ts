import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ObjectStoreError } from '../core/errors';
import { errorFromResponse } from '../core/http-errors';
import { rejection } from '../core/test-support/rejection';
import type { TransportRequest, TransportResponse } from '../core/transport/types';
import type { ChecksumType, UploadUrlBody } from '../core/types';
import { createMemoryBackend, type MemoryBackend } from './memory-backend';

/** Bit-by-bit CRC-32C (Castagnoli), checked below against the published check value. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function crcBase64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

function checksumOf(bytes: Uint8Array, type: ChecksumType): string {
  if (type === 'SHA1') return createHash('sha1').update(bytes).digest('base64');
  if (type === 'SHA256') return createHash('sha256').update(bytes).digest('base64');
  if (type === 'CRC32') return crcBase64(crc32(bytes));
  return crcBase64(crc32c(bytes));
}

function bodyFor(key: string, bytes: Uint8Array, extra: Partial<UploadUrlBody> = {}): UploadUrlBody {
  return {
    key,
    length: bytes.length,
    checksum: checksumOf(bytes, 'SHA256'),
    checksumType: 'SHA256',
    ...extra,
  };
}

async function put(
  backend: MemoryBackend,
  url: string,
  bytes: Uint8Array<ArrayBuffer>,
  extra: Partial<TransportRequest> = {},
): Promise<TransportResponse> {
  return backend.transport.send({ method: 'PUT', url, body: new Blob([bytes]), ...extra });
}

async function upload(
  backend: MemoryBackend,
  key: string,
  bytes: Uint8Array<ArrayBuffer>,
  extra: Partial<UploadUrlBody> = {},
) {
  const { url } = await backend.createUploadUrl(bodyFor(key, bytes, extra));
  const response = await put(backend, url, bytes);
  expect(response.status).toBe(200);
  return response;
}

async function download(
  backend: MemoryBackend,
  key: string,
  headers?: Record<string, string>,
  cdn?: boolean,
) {
  const presigned = await backend.createDownloadUrl(key, { cdn });
  if (!presigned) throw new Error(`no download URL for ${key}`);
  return backend.transport.send({ method: 'GET', url: presigned.url, headers });
}

async function bytesOf(response: TransportResponse): Promise<Uint8Array> {
  return new Uint8Array(await new Response(response.body).arrayBuffer());
}

async function errorOf(response: TransportResponse): Promise<ObjectStoreError> {
  return errorFromResponse(response.status, await response.text(), response.headers);
}

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('createMemoryBackend: uploads', () => {
  it('our reference CRC-32C gives the published check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  for (const type of ['SHA1', 'SHA256', 'CRC32', 'CRC32C'] as const) {
    it(`stores a PUT whose ${type} matches, and serves the same bytes back`, async () => {
      const backend = createMemoryBackend();
      const bytes = new Uint8Array(randomBytes(300_001));
      const checksum = checksumOf(bytes, type);
      const { url } = await backend.createUploadUrl({
        key: 'a',
        length: bytes.length,
        checksum,
        checksumType: type,
      });
      expect(url.startsWith('memory://')).toBe(true);
      const response = await put(backend, url, bytes, { headers: { 'Content-Type': 'image/png' } });
      expect(response.status).toBe(200);
      const ref = await backend.get('a');
      expect(ref).toMatchObject({
        key: 'a',
        size: bytes.length,
        checksum,
        checksumType: type,
        contentType: 'image/png',
      });
      expect(response.headers.get('etag')).toBe(`"${ref?.currentVersion}"`);
      const got = await download(backend, 'a');
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await bytesOf(got)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('stores empty objects', async () => {
    const backend = createMemoryBackend();
    const progress: number[][] = [];
    const empty = new Uint8Array(0);
    const { url } = await backend.createUploadUrl(bodyFor('empty', empty));
    const response = await put(backend, url, empty, { onUploadProgress: (l, t) => progress.push([l, t]) });
    expect(response.status).toBe(200);
    expect(progress).toEqual([[0, 0]]);
    expect(await backend.get('empty')).toMatchObject({ size: 0, contentType: 'application/octet-stream' });
    expect((await bytesOf(await download(backend, 'empty'))).length).toBe(0);
  });

  it('reports upload progress in steps, rising to the total', async () => {
    const backend = createMemoryBackend();
    const bytes = new Uint8Array(randomBytes(2 * 1024 * 1024));
    const { url } = await backend.createUploadUrl(bodyFor('p', bytes));
    const loaded: number[] = [];
    await put(backend, url, bytes, {
      onUploadProgress: (l, total) => {
        expect(total).toBe(bytes.length);
        loaded.push(l);
      },
    });
    expect(loaded.length).toBeGreaterThanOrEqual(10);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(bytes.length);
  });

  it('refuses a wrong length or checksum with 400 and stores nothing', async () => {
    const backend = createMemoryBackend();
    const bytes = new TextEncoder().encode('hello');
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    const short = await put(backend, url, bytes.slice(1));
    expect(short.status).toBe(400);
    expect((await errorOf(short)).code).toBe('LENGTH_MISMATCH');
    const wrong = await put(backend, url, new TextEncoder().encode('jello'));
    expect(wrong.status).toBe(400);
    expect(JSON.parse(await wrong.text())).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await backend.get('k')).toBeUndefined();
    expect(backend.objects()).toEqual([]);
  });

  it('refuses overwrite:false on an existing key at presign time and again at PUT time', async () => {
    const backend = createMemoryBackend();
    const bytes = new TextEncoder().encode('one');
    const first = await backend.createUploadUrl(bodyFor('k', bytes, { overwrite: false }));
    const second = await backend.createUploadUrl(bodyFor('k', bytes, { overwrite: false }));
    expect((await put(backend, first.url, bytes)).status).toBe(200);
    const late = await put(backend, second.url, bytes);
    expect(late.status).toBe(409);
    expect((await errorOf(late)).code).toBe('OBJECT_EXISTS');
    const error = await rejection(backend.createUploadUrl(bodyFor('k', bytes, { overwrite: false })));
    expect([error.code, error.status, error.retryable]).toEqual(['OBJECT_EXISTS', 409, false]);
    await upload(backend, 'k', bytes, { overwrite: true });
  });

  it('gives every write a new version, keeps createdAt and moves updatedAt', async () => {
    const time = clock();
    const backend = createMemoryBackend({ now: time.now });
    await upload(backend, 'k', new TextEncoder().encode('v1'));
    const first = await backend.get('k');
    time.advance(5000);
    await upload(backend, 'k', new TextEncoder().encode('v2!'));
    const second = await backend.get('k');
    expect(second?.currentVersion).not.toBe(first?.currentVersion);
    expect(second?.createdAt).toBe(first?.createdAt);
    expect(Date.parse(second!.updatedAt!) - Date.parse(first!.updatedAt!)).toBe(5000);
    expect(second?.size).toBe(3);
  });

  it('forgets objects once their ttlSeconds has passed', async () => {
    const time = clock();
    const backend = createMemoryBackend({ now: time.now });
    await upload(backend, 'short', new TextEncoder().encode('x'), { ttlSeconds: 10 });
    expect(backend.objects()[0]?.expiresAt).toBe(new Date(time.now() + 10_000).toISOString());
    const url = (await backend.createDownloadUrl('short'))!.url;
    time.advance(10_000);
    expect(await backend.get('short')).toBeUndefined();
    expect(await backend.createDownloadUrl('short')).toBeUndefined();
    expect((await backend.transport.send({ method: 'GET', url })).status).toBe(404);
    expect(backend.objects()).toEqual([]);
  });

  it('accepts any non-empty key without confusing it with another', async () => {
    const backend = createMemoryBackend();
    const keys = ['..', '../escape', 'a/b/c', 'emoji 🎉', 'q?x=1&token=2#h', 'nul\u0000byte', '%2e%2E'];
    for (const [index, key] of keys.entries()) await upload(backend, key, new Uint8Array([index]));
    for (const [index, key] of keys.entries())
      expect(Array.from(await bytesOf(await download(backend, key)))).toEqual([index]);
    expect(backend.objects().map((o) => o.key)).toEqual(keys);
  });
});

describe('createMemoryBackend: batch presigning', () => {
  it('issues one working URL per body, in order', async () => {
    const backend = createMemoryBackend();
    const files = [0, 1, 2].map((i) => new Uint8Array(randomBytes(100 + i)));
    const urls = await backend.createUploadUrls(files.map((bytes, i) => bodyFor(`batch/${i}`, bytes)));
    expect(urls).toHaveLength(3);
    for (const [i, { url }] of urls.entries()) expect((await put(backend, url, files[i]!)).status).toBe(200);
    for (const [i, bytes] of files.entries())
      expect((await backend.get(`batch/${i}`))?.checksum).toBe(checksumOf(bytes, 'SHA256'));
  });

  it('refuses the whole batch for one bad body, and a batch of 0 or over 32 bodies', async () => {
    const backend = createMemoryBackend({ maxObjectSize: 1000 });
    const small = new Uint8Array(10);
    const tooLarge = { ...bodyFor('big', small), length: 1001 };
    expect((await rejection(backend.createUploadUrls([bodyFor('ok', small), tooLarge]))).code).toBe(
      'OBJECT_TOO_LARGE',
    );
    const longKey = bodyFor('k'.repeat(1100), small);
    expect((await rejection(backend.createUploadUrls([bodyFor('ok', small), longKey]))).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect((await rejection(backend.createUploadUrls([]))).code).toBe('INVALID_INPUT');
    const many = Array.from({ length: 33 }, (_, i) => bodyFor(`m/${i}`, small));
    expect((await rejection(backend.createUploadUrls(many))).code).toBe('INVALID_INPUT');
  });
});

describe('createMemoryBackend: URLs', () => {
  it('answers 403 URL_EXPIRED once a URL is older than an hour, or than urlTtlSeconds', async () => {
    const time = clock();
    const backend = createMemoryBackend({ now: time.now });
    const bytes = new TextEncoder().encode('late');
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    time.advance(3600_000);
    const expired = await put(backend, url, bytes);
    expect(expired.status).toBe(403);
    expect((await errorOf(expired)).code).toBe('URL_EXPIRED');

    backend.setFaults({ urlTtlSeconds: 2 });
    const quick = await backend.createUploadUrl(bodyFor('k', bytes));
    time.advance(1999);
    expect((await put(backend, quick.url, bytes)).status).toBe(200);
    const download = (await backend.createDownloadUrl('k'))!;
    time.advance(2000);
    const stale = await backend.transport.send({ method: 'GET', url: download.url });
    expect([stale.status, (await errorOf(stale)).code]).toEqual([403, 'URL_EXPIRED']);
  });

  it('answers 403 SIGNATURE_INVALID to a tampered URL or the wrong method', async () => {
    const backend = createMemoryBackend();
    const bytes = new TextEncoder().encode('data');
    await upload(backend, 'k', bytes);
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    const download = (await backend.createDownloadUrl('k'))!.url;
    const tampered = [
      url.replace('key=k', 'key=other'),
      url.replace(/expires=\d+/, 'expires=99999999999'),
      url.replace(/\/default\/[0-9a-f]+/, '/default/00'),
      url.replace('/default/', '/cdn/'),
    ];
    for (const bad of tampered) {
      expect(bad).not.toBe(url);
      const response = await put(backend, bad, bytes);
      expect([bad, response.status, (await errorOf(response)).code]).toEqual([bad, 403, 'SIGNATURE_INVALID']);
    }
    const wrongMethod = await put(backend, download, bytes);
    expect((await errorOf(wrongMethod)).code).toBe('SIGNATURE_INVALID');
    const getUpload = await backend.transport.send({ method: 'GET', url });
    expect(getUpload.status).toBe(403);
  });

  it('serves only its own URLs', async () => {
    const one = createMemoryBackend();
    const two = createMemoryBackend();
    await upload(one, 'k', new Uint8Array([1]));
    const url = (await one.createDownloadUrl('k'))!.url;
    expect((await rejection(two.transport.send({ method: 'GET', url }))).code).toBe('NETWORK');
    expect((await rejection(one.transport.send({ method: 'GET', url: 'https://example.com/x' }))).code).toBe(
      'NETWORK',
    );
  });

  it('answers 404 for a URL whose object was deleted, and get gives undefined', async () => {
    const backend = createMemoryBackend();
    await upload(backend, 'k', new Uint8Array([1, 2]));
    const url = (await backend.createDownloadUrl('k'))!.url;
    await backend.delete('k');
    expect(await backend.get('k')).toBeUndefined();
    expect(await backend.createDownloadUrl('k')).toBeUndefined();
    const response = await backend.transport.send({ method: 'GET', url });
    expect([response.status, (await errorOf(response)).code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('createMemoryBackend: downloads', () => {
  const bytes = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 251));

  async function stored() {
    const backend = createMemoryBackend();
    await upload(backend, 'r', bytes);
    return backend;
  }

  it('answers byte ranges a-b, a- and -n with 206 and Content-Range', async () => {
    const backend = await stored();
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=900-', 900, 999],
      ['bytes=-10', 990, 999],
      ['bytes=990-5000', 990, 999],
      ['bytes=-5000', 0, 999],
    ];
    for (const [range, start, end] of cases) {
      const response = await download(backend, 'r', { Range: range });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
      expect(response.headers.get('content-length')).toBe(String(end - start + 1));
      expect(Array.from(await bytesOf(response))).toEqual(Array.from(bytes.slice(start, end + 1)));
    }
  });

  it('answers 416 with bytes */size to an unsatisfiable range', async () => {
    const backend = await stored();
    for (const range of ['bytes=1000-', 'bytes=-0']) {
      const response = await download(backend, 'r', { range });
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe('bytes */1000');
    }
  });

  it('sends the whole body with 200 for several ranges or a range it cannot parse', async () => {
    const backend = await stored();
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3']) {
      const response = await download(backend, 'r', { range });
      expect(response.status).toBe(200);
      expect((await bytesOf(response)).length).toBe(1000);
    }
  });

  it('honours If-Range: the range when the ETag matches, the whole new body when it does not', async () => {
    const backend = await stored();
    const first = await download(backend, 'r');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(first.headers.get('accept-ranges')).toBe('bytes');
    expect((await download(backend, 'r', { range: 'bytes=0-9', 'if-range': etag })).status).toBe(206);
    expect((await download(backend, 'r', { range: 'bytes=0-9', 'if-range': lastModified })).status).toBe(206);
    await upload(backend, 'r', new Uint8Array(10));
    const changed = await download(backend, 'r', { range: 'bytes=0-9', 'if-range': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const backend = await stored();
    const { url } = (await backend.createDownloadUrl('r'))!;
    const head = await backend.transport.send({ method: 'HEAD', url, headers: { range: 'bytes=10-19' } });
    expect(head.status).toBe(206);
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBe('10');
    expect(head.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('stops the body with ABORTED when the signal fires mid-stream', async () => {
    const backend = await stored();
    const controller = new AbortController();
    const { url } = (await backend.createDownloadUrl('r'))!;
    const response = await backend.transport.send({ method: 'GET', url, signal: controller.signal });
    controller.abort();
    const error = await rejection(bytesOf(response));
    expect(error.code).toBe('ABORTED');
  });
});

describe('createMemoryBackend: CDN bucket', () => {
  it('keeps cdn objects apart and serves CDN URLs with Cache-Control', async () => {
    const backend = createMemoryBackend();
    const bytes = new TextEncoder().encode('cached');
    await upload(backend, 'logo', bytes, { cdn: true });
    expect(await backend.get('logo')).toBeUndefined();
    expect(await backend.get('logo', { cdn: true })).toMatchObject({ size: 6 });
    expect(backend.objects()).toMatchObject([{ bucket: 'cdn', key: 'logo' }]);
    const cdnUrl = (await backend.createCDNUrl('logo', { ttlSeconds: 600 }))!;
    const response = await backend.transport.send({ method: 'GET', url: cdnUrl.url });
    expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    expect(new TextDecoder().decode(await bytesOf(response))).toBe('cached');
    expect((await download(backend, 'logo', undefined, true)).status).toBe(200);
    await backend.delete('logo');
    expect(await backend.get('logo', { cdn: true })).toBeDefined();
    await backend.delete('logo', { cdn: true });
    expect(await backend.createCDNUrl('logo')).toBeUndefined();
  });

  it('gives no CDN URL for an object of the default bucket, and checks ttlSeconds', async () => {
    const backend = createMemoryBackend();
    await upload(backend, 'plain', new Uint8Array([1]));
    expect(await backend.createCDNUrl('plain')).toBeUndefined();
    for (const ttlSeconds of [0, -1, 2_505_601, Number.NaN]) {
      const error = await rejection(backend.createCDNUrl('plain', { ttlSeconds }));
      expect([error.code, error.status, error.message]).toEqual([
        'INVALID_REQUEST',
        400,
        expect.stringMatching(/^ttlSeconds/),
      ]);
    }
  });
});

describe('createMemoryBackend: bad input', () => {
  const good = bodyFor('k', new Uint8Array([1]));
  const cases: [string, unknown][] = [
    ['key', { ...good, key: '' }],
    ['key', { ...good, key: 7 }],
    ['length', { ...good, length: -1 }],
    ['length', { ...good, length: 1.5 }],
    ['length', { ...good, length: '1' }],
    ['checksum', { ...good, checksum: 'not base64!' }],
    ['checksum', { ...good, checksum: 'AAAA' }],
    ['checksum', { ...good, checksum: 'AAAAAAA=', checksumType: 'CRC32' }],
    ['key', { ...good, key: 'lone \ud800 surrogate' }],
    ['contentType', { ...good, contentType: 'text/plain\r\nx-evil: 1' }],
    ['checksumType', { ...good, checksumType: 'MD5' }],
    ['ttlSeconds', { ...good, ttlSeconds: 0 }],
    ['overwrite', { ...good, overwrite: 'yes' }],
    ['cdn', { ...good, cdn: 1 }],
  ];
  for (const [field, body] of cases)
    it(`refuses a bad ${field} with INVALID_REQUEST naming it (${JSON.stringify(body)})`, async () => {
      const error = await rejection(createMemoryBackend().createUploadUrl(body as UploadUrlBody));
      expect([error.code, error.status, error.retryable]).toEqual(['INVALID_REQUEST', 400, false]);
      expect(error.message.startsWith(`${field}:`)).toBe(true);
    });

  it('refuses a request over 1 kB with PAYLOAD_TOO_LARGE and a length over the limit with OBJECT_TOO_LARGE', async () => {
    const backend = createMemoryBackend({ maxObjectSize: 100 });
    const long = await rejection(backend.createUploadUrl({ ...good, key: 'k'.repeat(1000) }));
    expect([long.code, long.status]).toEqual(['PAYLOAD_TOO_LARGE', 413]);
    expect((await rejection(backend.get('é'.repeat(600)))).code).toBe('PAYLOAD_TOO_LARGE');
    const big = await rejection(backend.createUploadUrl({ ...good, length: 101 }));
    expect([big.code, big.status]).toEqual(['OBJECT_TOO_LARGE', 413]);
    await backend.createUploadUrl({ ...good, key: 'k'.repeat(900) });
  });
});

describe('createMemoryBackend: faults', () => {
  it('rate-limits API calls and URL requests with Retry-After while rateLimitRate is set', async () => {
    const backend = createMemoryBackend({ faults: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const error = await rejection(backend.get('k'));
    expect([error.code, error.status, error.retryAfterSeconds, error.retryable]).toEqual([
      'TOO_MANY_REQUESTS',
      429,
      7,
      true,
    ]);
    backend.setFaults({ rateLimitRate: undefined });
    const bytes = new Uint8Array([1, 2, 3]);
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    backend.setFaults({ rateLimitRate: 1 });
    const limited = await put(backend, url, bytes);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await errorOf(limited)).retryAfterSeconds).toBe(7);
    backend.setFaults({ rateLimitRate: null });
    expect(backend.getFaults()).toEqual({ retryAfterSeconds: 7 });
    expect((await put(backend, url, bytes)).status).toBe(200);
  });

  it('answers 503 while errorRate is set, with the dice it was given', async () => {
    const rolls = [0.1, 0.9];
    const backend = createMemoryBackend({ faults: { errorRate: 0.5 }, random: () => rolls.shift() ?? 0.9 });
    const error = await rejection(backend.get('k'));
    expect([error.code, error.status, error.retryable]).toEqual(['BACKEND', 503, true]);
    expect(await backend.get('k')).toBeUndefined();
  });

  it('drops an upload after N bytes dropCount times, then lets it through', async () => {
    const backend = createMemoryBackend({ faults: { dropUploadAfterBytes: 100_000, dropCount: 1 } });
    const bytes = new Uint8Array(randomBytes(300_000));
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    const seen: number[] = [];
    const error = await rejection(put(backend, url, bytes, { onUploadProgress: (l) => seen.push(l) }));
    expect(error.code).toBe('NETWORK');
    expect(seen.at(-1)).toBe(100_000);
    expect(await backend.get('k')).toBeUndefined();
    expect((await put(backend, url, bytes)).status).toBe(200);
  });

  it('drops a download body after N bytes, until re-armed', async () => {
    const backend = createMemoryBackend();
    const bytes = new Uint8Array(randomBytes(200_000));
    await upload(backend, 'k', bytes);
    backend.setFaults({ dropDownloadAfterBytes: 70_000 });
    const response = await download(backend, 'k');
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    const error = await rejection(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += value.length;
        }
      })(),
    );
    expect([error.code, received]).toEqual(['NETWORK', 70_000]);
    backend.setFaults({ dropCount: 0 });
    expect((await bytesOf(await download(backend, 'k'))).length).toBe(200_000);
  });

  it('corrupts one byte of each download while corruptDownload is set', async () => {
    const backend = createMemoryBackend();
    const bytes = new Uint8Array(randomBytes(1000));
    await upload(backend, 'k', bytes);
    backend.setFaults({ corruptDownload: true });
    const whole = await bytesOf(await download(backend, 'k'));
    expect(whole.length).toBe(1000);
    expect(whole.filter((b, i) => b !== bytes[i]).length).toBe(1);
    const ranged = await bytesOf(await download(backend, 'k', { range: 'bytes=0-99' }));
    expect(Array.from(ranged)).toEqual(Array.from(bytes.slice(0, 100)));
    backend.setFaults({ corruptDownload: false });
    expect(Buffer.from(await bytesOf(await download(backend, 'k'))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('makes every PUT fail with CHECKSUM_MISMATCH while corruptUpload is set', async () => {
    const backend = createMemoryBackend({ faults: { corruptUpload: true } });
    for (const bytes of [new Uint8Array([1, 2, 3]), new Uint8Array(0)]) {
      const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
      const response = await put(backend, url, bytes);
      expect([response.status, (await errorOf(response)).code]).toEqual([400, 'CHECKSUM_MISMATCH']);
    }
    expect(backend.objects()).toEqual([]);
  });

  it('aborts a call waiting out its latency with ABORTED', async () => {
    const backend = createMemoryBackend({ latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = backend.get('k', { signal: controller.signal });
    controller.abort();
    expect((await rejection(pending)).code).toBe('ABORTED');
    const put = backend.transport.send({ method: 'PUT', url: 'memory://x', signal: controller.signal });
    expect((await rejection(put)).code).toBe('ABORTED');
  });

  it('stops a PUT with ABORTED when the signal fires mid-body, and stores nothing', async () => {
    const backend = createMemoryBackend();
    const bytes = new Uint8Array(randomBytes(1_000_000));
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    const controller = new AbortController();
    const seen: number[] = [];
    const pending = put(backend, url, bytes, {
      signal: controller.signal,
      onUploadProgress: (loaded) => {
        seen.push(loaded);
        controller.abort();
      },
    });
    expect((await rejection(pending)).code).toBe('ABORTED');
    expect(seen).toHaveLength(1);
    expect(await backend.get('k')).toBeUndefined();
  });

  it('reset() forgets objects and URLs and restores the faults given at creation', async () => {
    const backend = createMemoryBackend({ faults: { retryAfterSeconds: 3 } });
    const bytes = new Uint8Array([1]);
    await upload(backend, 'k', bytes);
    const { url } = await backend.createUploadUrl(bodyFor('k', bytes));
    backend.setFaults({ errorRate: 1 });
    expect(backend.getFaults()).toEqual({ retryAfterSeconds: 3, errorRate: 1 });
    backend.reset();
    expect(backend.getFaults()).toEqual({ retryAfterSeconds: 3 });
    expect(backend.objects()).toEqual([]);
    expect((await put(backend, url, bytes)).status).toBe(403);
  });
});

describe('createMemoryBackend: the store view', () => {
  it('speaks the server SDK surface over the same objects', async () => {
    const backend = createMemoryBackend();
    const bytes = new Uint8Array([4, 5, 6]);
    const { url } = await backend.store.createPublicUploadUrl(bodyFor('s', bytes));
    expect((await put(backend, url, bytes)).status).toBe(200);
    expect(await backend.store.get('s')).toMatchObject({ size: 3 });
    expect(await backend.store.createPublicDownloadUrl('s')).toMatchObject({ url: expect.any(String) });
    expect(await backend.store.createDownloadUrl('missing')).toBeUndefined();
    await backend.store.delete('s');
    expect(await backend.get('s')).toBeUndefined();
  });
});
