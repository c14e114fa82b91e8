import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBackend } from '../adapters/http-backend';
import { createObjectStore } from '../core/client';
import { errorFromResponse } from '../core/http-errors';
import { MAX_OBJECT_SIZE } from '../core/limits';
import { nodeHasher } from '../core/test-support/fake-backend';
import { rejection } from '../core/test-support/rejection';
import { createFetchTransport } from '../core/transport/fetch-transport';
import type { ChecksumType, PresignedUrlResponse, UploadUrlBody } from '../core/types';
import { createObjectStoreHandler } from './http-handler';
import { configureBucketCors, configureTtlLifecycle, TTL_DAY_STEPS } from './s3-bucket';
import { fromS3Error } from './s3-errors';
import { type S3Endpoint, s3ClientConfig, startS3Endpoint } from './s3-rgw-fixture';
import { createS3ObjectStore, MAX_S3_PRESIGN_SECONDS, type S3ObjectStoreOptions } from './s3-store';
import type { ObjectStore } from './store';

const run = promisify(execFile);
const skip = process.env.OBJECTDROP_SKIP_S3 === '1';
// Forcing a lifecycle run needs radosgw-admin and the cluster's ceph.conf: ours, or one given by env.
const canRunLifecycle = !process.env.OBJECTDROP_S3_ENDPOINT || !!process.env.OBJECTDROP_RGW_CONF;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');
const crc32b64 = (bytes: Uint8Array) => {
  const digest = Buffer.alloc(4);
  digest.writeUInt32BE(crc32(bytes));
  return digest.toString('base64');
};

/** What a browser does with an upload URL: PUT the bytes with the returned headers. */
async function put(
  grant: PresignedUrlResponse,
  bytes: Uint8Array,
  extraHeaders: Record<string, string> = {},
) {
  return fetch(grant.url, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { ...grant.headers, ...extraHeaders },
  });
}

function signedHeaders(url: string): string[] {
  return new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';') ?? [];
}

// Neither needs a running store: they stay checked where RGW is skipped.
describe('the S3 store without a gateway', () => {
  it.each([
    ['SlowDown', 503, { code: 'TOO_MANY_REQUESTS', status: 429, retryable: true }],
    ['ServiceUnavailable', 503, { code: 'TOO_MANY_REQUESTS', retryable: true }],
    ['PreconditionFailed', 412, { code: 'OBJECT_EXISTS', status: 409 }],
    ['AccessDenied', 403, { code: 'SIGNATURE_INVALID', status: 403, retryable: false }],
    ['NoSuchKey', 404, { code: 'NOT_FOUND', status: 404 }],
    ['NoSuchBucket', 404, { code: 'BACKEND', retryable: false }],
    ['InternalError', 500, { code: 'BACKEND', retryable: true }],
  ])('maps S3 %s (%i) like the local store', (name, httpStatusCode, expected) => {
    const error = new S3ServiceException({
      name,
      $fault: 'client',
      $metadata: { httpStatusCode },
      message: name,
    });
    expect(fromS3Error(error, 'x')).toMatchObject(expected);
  });

  it('rejects options S3 cannot honour', () => {
    const client = new S3Client({ region: 'us-east-1' });
    const bucket = 'b';
    expect(() => createS3ObjectStore({ client, bucket, urlTtlSeconds: MAX_S3_PRESIGN_SECONDS + 1 })).toThrow(
      /7 days/,
    );
    expect(() => createS3ObjectStore({ client, bucket: '' })).toThrow(/bucket/);
    expect(() => createS3ObjectStore({ client, bucket, cdnBaseUrl: 'cdn.example.com' })).toThrow(
      /cdnBaseUrl/,
    );
  });
});

describe.skipIf(skip)('createS3ObjectStore against a real Ceph RADOS Gateway', () => {
  let s3: S3Endpoint;
  let client: S3Client;
  let bucket: string;
  let cdnBucket: string;
  let store: ObjectStore;
  let keyCount = 0;
  const newKey = (prefix = 'obj') => `${prefix}/${Date.now().toString(36)}-${keyCount++}`;
  const storeWith = (options: Partial<S3ObjectStoreOptions> = {}) =>
    createS3ObjectStore({ client, bucket, cdnBucket, ...options });

  const uploadBody = (bytes: Uint8Array, extra: Partial<UploadUrlBody> = {}): UploadUrlBody => ({
    key: newKey(),
    length: bytes.length,
    checksum: sha256(bytes),
    checksumType: 'SHA256',
    ...extra,
  });

  async function upload(body: Partial<UploadUrlBody> & { bytes: Uint8Array }, target = store) {
    const { bytes, ...rest } = body;
    const key = body.key ?? newKey();
    const grant = await target.createUploadUrl({
      key,
      length: bytes.length,
      checksum: sha256(bytes),
      checksumType: 'SHA256',
      ...rest,
    });
    const response = await put(grant, bytes);
    expect(response.status, await response.clone().text()).toBe(200);
    return key;
  }

  beforeAll(async () => {
    s3 = await startS3Endpoint();
    client = new S3Client({ ...s3ClientConfig(s3), requestChecksumCalculation: 'WHEN_REQUIRED' });
    const run = randomBytes(4).toString('hex');
    bucket = `objectdrop-${run}`;
    cdnBucket = `objectdrop-cdn-${run}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new CreateBucketCommand({ Bucket: cdnBucket }));
    store = storeWith();
  }, 150_000);

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  }, 30_000);

  describe('upload URLs', () => {
    it('accepts the declared bytes and get returns the declared checksum, type and size', async () => {
      const bytes = new TextEncoder().encode('hello from objectdrop');
      const key = newKey('hello world/ü');
      const grant = await store.createPublicUploadUrl(
        uploadBody(bytes, { key, contentType: 'text/plain; charset=utf-8' }),
      );
      expect(grant.headers).toMatchObject({
        'content-type': 'text/plain; charset=utf-8',
        'x-amz-checksum-sha256': sha256(bytes),
      });
      expect((await put(grant, bytes)).status).toBe(200);

      const ref = await store.get(key);
      expect(ref).toMatchObject({
        key,
        checksum: sha256(bytes),
        checksumType: 'SHA256',
        size: bytes.length,
        contentType: 'text/plain; charset=utf-8',
      });
      expect(Date.parse(ref?.createdAt ?? '')).not.toBeNaN();
      expect(ref?.updatedAt).toBe(ref?.createdAt);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(ref?.currentVersion).toBe(head.ETag?.replaceAll('"', ''));
    });

    it.each<[ChecksumType, (b: Uint8Array) => string]>([
      ['SHA1', sha1],
      ['CRC32', crc32b64],
      ['CRC32C', () => 'AAAAAA=='],
    ])(
      'signs the %s checksum as its flexible-checksum header and keeps it as metadata',
      async (type, digest) => {
        const bytes = randomBytes(100);
        const key = newKey();
        const grant = await store.createUploadUrl({
          key,
          length: bytes.length,
          checksum: digest(bytes),
          checksumType: type,
        });
        const header = `x-amz-checksum-${type.toLowerCase()}`;
        expect(grant.headers?.[header]).toBe(digest(bytes));
        expect(grant.headers?.['x-amz-sdk-checksum-algorithm']).toBe(type);
        expect(signedHeaders(grant.url)).toContain(header);
        // RGW 16 does not verify flexible checksums (AWS S3 and MinIO do): only the signature binds it.
        expect((await put(grant, bytes)).status).toBe(200);
        expect(await store.get(key)).toMatchObject({
          checksum: digest(bytes),
          checksumType: type,
          size: 100,
        });
      },
    );

    it('binds length, content type and checksum in the signature, with nothing hoisted into the query', async () => {
      const bytes = randomBytes(64);
      const grant = await store.createUploadUrl({
        key: newKey(),
        length: 64,
        checksum: sha256(bytes),
        checksumType: 'SHA256',
        overwrite: false,
      });
      const url = new URL(grant.url);
      expect(signedHeaders(grant.url).sort()).toEqual(
        [
          'content-length',
          'content-type',
          'host',
          'if-none-match',
          'x-amz-checksum-sha256',
          'x-amz-meta-objectdrop-checksum',
          'x-amz-meta-objectdrop-checksum-type',
          'x-amz-sdk-checksum-algorithm',
        ].sort(),
      );
      expect(grant.headers?.['if-none-match']).toBe('*');
      expect(grant.headers?.['content-type']).toBe('application/octet-stream');
      // The SDK's default would put the CRC32 of an empty body here, failing every real upload on AWS.
      const amzQuery = [...url.searchParams.keys()].filter((name) =>
        name.toLowerCase().startsWith('x-amz-checksum'),
      );
      expect(amzQuery).toEqual([]);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
      expect(grant.headers).not.toHaveProperty('content-length');
    });

    it('keeps the default client from adding its empty-body CRC32', async () => {
      const defaultClient = new S3Client(s3ClientConfig(s3));
      const bytes = randomBytes(10);
      const grant = await createS3ObjectStore({ client: defaultClient, bucket }).createUploadUrl({
        key: newKey(),
        length: 10,
        checksum: sha256(bytes),
        checksumType: 'SHA256',
      });
      expect(grant.url).not.toMatch(/crc32/i);
      expect(signedHeaders(grant.url)).not.toContain('x-amz-checksum-crc32');
      expect((await put(grant, bytes)).status).toBe(200);
      defaultClient.destroy();
    });

    it('refuses bytes of another length, and a PUT without the signed checksum header', async () => {
      const bytes = randomBytes(32);
      const key = newKey();
      const grant = await store.createUploadUrl(uploadBody(bytes, { key }));
      const longer = await put(grant, randomBytes(33));
      expect(longer.status).toBe(403);
      expect(errorFromResponse(longer.status, await longer.text(), longer.headers, 'PUT').code).toBe(
        'SIGNATURE_INVALID',
      );
      const { 'x-amz-checksum-sha256': _dropped, ...withoutChecksum } = grant.headers ?? {};
      const bare = await fetch(grant.url, { method: 'PUT', body: bytes, headers: withoutChecksum });
      expect(bare.status).toBe(403);
      expect(await store.get(key)).toBeUndefined();
    });

    it('overwrite: false refuses an existing key, and If-None-Match stops a racing second upload', async () => {
      const first = randomBytes(16);
      const body = { key: newKey(), length: 16, checksumType: 'SHA256' as const };
      const grantA = await store.createUploadUrl({ ...body, checksum: sha256(first), overwrite: false });
      const grantB = await store.createUploadUrl({ ...body, checksum: sha256(first), overwrite: false });
      expect((await put(grantA, first)).status).toBe(200);
      // Signed before A landed, so only the store can stop it: RGW 16 honours If-None-Match: * on PUT.
      const raced = await put(grantB, first);
      expect(raced.status).toBe(412);
      expect(errorFromResponse(raced.status, await raced.text(), raced.headers, 'PUT').code).toBe(
        'OBJECT_EXISTS',
      );
      const refused = await rejection(
        store.createUploadUrl({ ...body, checksum: sha256(first), overwrite: false }),
      );
      expect(refused).toMatchObject({ code: 'OBJECT_EXISTS', status: 409 });
      // The default (overwrite: true) replaces it.
      const second = randomBytes(16);
      expect(
        (await put(await store.createUploadUrl({ ...body, checksum: sha256(second) }), second)).status,
      ).toBe(200);
      expect((await store.get(body.key))?.checksum).toBe(sha256(second));
    });

    it('answers bad bodies with INVALID_REQUEST or OBJECT_TOO_LARGE, before talking to S3', async () => {
      const valid: UploadUrlBody = {
        key: 'k',
        length: 1,
        checksum: sha256(Buffer.from('x')),
        checksumType: 'SHA256',
      };
      const cases: [unknown, string][] = [
        [{ ...valid, key: '' }, 'key'],
        [{ ...valid, key: 'a/../b' }, 'key'],
        [{ ...valid, key: 'x'.repeat(1025) }, 'key'],
        [{ ...valid, length: -1 }, 'length'],
        [{ ...valid, length: 1.5 }, 'length'],
        [{ ...valid, checksum: 'AAAA' }, 'checksum'],
        [{ ...valid, checksumType: 'MD5' }, 'checksumType'],
        [{ ...valid, ttlSeconds: 0 }, 'ttlSeconds'],
        [{ ...valid, overwrite: 'no' }, 'overwrite'],
        [{ ...valid, contentType: 'text/plain\r\nx: y' }, 'contentType'],
        [null, 'body'],
      ];
      for (const [body, field] of cases) {
        const error = await rejection(store.createUploadUrl(body as UploadUrlBody));
        expect(error.code, field).toBe('INVALID_REQUEST');
        expect(error.message.startsWith(`${field}:`), error.message).toBe(true);
      }
      const tooBig = await rejection(store.createUploadUrl({ ...valid, length: MAX_OBJECT_SIZE + 1 }));
      expect(tooBig).toMatchObject({ code: 'OBJECT_TOO_LARGE', status: 413 });
    });
  });

  describe('download URLs', () => {
    it('serve the bytes, Range as 206 with Content-Range, and If-Match/If-Range against the ETag', async () => {
      const bytes = randomBytes(1000);
      const key = await upload({ bytes, contentType: 'application/x-test' });
      for (const create of [store.createDownloadUrl, store.createPublicDownloadUrl]) {
        const download = await create(key);
        if (!download) throw new Error('expected a download URL');
        const full = await fetch(download.url);
        expect(full.status).toBe(200);
        expect(full.headers.get('content-type')).toBe('application/x-test');
        // Asked for in the URL (response-cache-control): Chromium then leaves the body in the connection.
        expect(full.headers.get('cache-control')).toBe('private, no-store');
        expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);

        const etag = full.headers.get('etag') ?? '';
        const part = await fetch(download.url, { headers: { range: 'bytes=100-199', 'if-range': etag } });
        expect(part.status).toBe(206);
        expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
        expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

        // A changed object fails If-Match with 412. (RGW 16 ignores If-Range: a stale validator still
        // gets 206, so a resuming download must not rely on If-Range alone.)
        const changed = await fetch(download.url, {
          headers: { range: 'bytes=100-199', 'if-match': '"stale"' },
        });
        expect(changed.status).toBe(412);
        await changed.arrayBuffer();
      }
    });

    it('are GET-only: a HEAD needs a URL of its own (probe size with Range: bytes=0-0 instead)', async () => {
      const bytes = randomBytes(10);
      const key = newKey();
      await put(await store.createUploadUrl(uploadBody(bytes, { key })), bytes);
      const download = await store.createDownloadUrl(key);
      const head = await fetch(download?.url ?? '', { method: 'HEAD' });
      expect(head.status).toBe(403);
      const probe = await fetch(download?.url ?? '', { headers: { range: 'bytes=0-0' } });
      expect(probe.status).toBe(206);
      expect(probe.headers.get('content-range')).toBe('bytes 0-0/10');
      await probe.arrayBuffer();
    });

    it('are undefined for a missing key', async () => {
      expect(await store.createDownloadUrl(newKey('missing'))).toBeUndefined();
      expect(await store.createPublicDownloadUrl(newKey('missing'))).toBeUndefined();
      expect(await store.get(newKey('missing'))).toBeUndefined();
    });

    it('expire: a URL signed two hours ago is refused with 403', async () => {
      const bytes = randomBytes(10);
      const key = newKey();
      await put(await store.createUploadUrl(uploadBody(bytes, { key })), bytes);
      const past = storeWith({ now: () => Date.now() - 2 * 3600_000 });
      const download = await past.createDownloadUrl(key);
      const response = await fetch(download?.url ?? '');
      expect(response.status).toBe(403);
      const error = errorFromResponse(response.status, await response.text(), response.headers, 'GET');
      // RGW 16 answers a bare AccessDenied, so the client cannot tell expiry from a bad signature;
      // AWS S3 says "Request has expired", which maps to URL_EXPIRED (see http-errors.test.ts).
      expect(error.code).toBe('SIGNATURE_INVALID');
      const uploadGrant = await past.createUploadUrl(uploadBody(bytes, { key }));
      expect((await put(uploadGrant, bytes)).status).toBe(403);
    });
  });

  describe('ttlSeconds', () => {
    it('is recorded on the object; get and download treat it as missing once run out', async () => {
      const bytes = randomBytes(20);
      const key = newKey();
      await put(await store.createUploadUrl(uploadBody(bytes, { key, ttlSeconds: 120 })), bytes);
      expect(await store.get(key)).toMatchObject({ size: 20 });
      const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      expect(tags.TagSet).toEqual([{ Key: 'objectdrop-ttl-days', Value: '1' }]);

      // 100 s after upload, a download URL does not outlive the object.
      const uploadedAt = Date.parse((await store.get(key))?.updatedAt ?? '');
      const later = storeWith({ now: () => uploadedAt + 100_000 });
      const url = new URL((await later.createDownloadUrl(key))?.url ?? '');
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(20);

      const expired = storeWith({ now: () => uploadedAt + 121_000 });
      expect(await expired.get(key)).toBeUndefined();
      expect(await expired.createDownloadUrl(key)).toBeUndefined();
      // Expired but not yet collected: overwrite: false may take the key.
      const retake = await expired.createUploadUrl(uploadBody(bytes, { key, overwrite: false }));
      expect(retake.headers?.['if-none-match']).toBe('*');
    });

    it('ttlTagging: false sends no tag, for stores without object tagging', async () => {
      const bytes = randomBytes(4);
      const key = newKey();
      const grant = await storeWith({ ttlTagging: false }).createUploadUrl(
        uploadBody(bytes, { key, ttlSeconds: 60 }),
      );
      expect(grant.headers).not.toHaveProperty('x-amz-tagging');
      expect(grant.headers?.['x-amz-meta-objectdrop-ttl-seconds']).toBe('60');
      expect((await put(grant, bytes)).status).toBe(200);
      expect((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet).toEqual(
        [],
      );
    });

    it('lifecycle rules are installed beside the bucket own rules, once', async () => {
      await client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              { ID: 'users-own', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 } },
            ],
          },
        }),
      );
      await configureTtlLifecycle(client, bucket);
      await configureTtlLifecycle(client, bucket);
      const { Rules = [] } = await client.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
      );
      expect(Rules.map((rule) => rule.ID).sort()).toEqual(
        ['users-own', ...TTL_DAY_STEPS.map((days) => `objectdrop-ttl-${days}d`)].sort(),
      );
      expect(Rules.find((rule) => rule.ID === 'objectdrop-ttl-7d')).toMatchObject({
        Filter: { Tag: { Key: 'objectdrop-ttl-days', Value: '7' } },
        Expiration: { Days: 7 },
      });
    });

    it.skipIf(!canRunLifecycle)(
      'lifecycle removes an object whose TTL ran out (RGW: one lifecycle "day" lasts 10 s here)',
      async () => {
        const lcBucket = `${bucket}-lc`;
        await client.send(new CreateBucketCommand({ Bucket: lcBucket }));
        await configureTtlLifecycle(client, lcBucket);
        const lcStore = createS3ObjectStore({ client, bucket: lcBucket });
        const bytes = randomBytes(8);
        const [short, kept] = [newKey('lc'), newKey('lc')];
        await put(await lcStore.createUploadUrl(uploadBody(bytes, { key: short, ttlSeconds: 1 })), bytes);
        await put(await lcStore.createUploadUrl(uploadBody(bytes, { key: kept })), bytes);
        const exists = async (key: string) =>
          client.send(new HeadObjectCommand({ Bucket: lcBucket, Key: key })).then(
            () => true,
            () => false,
          );
        // Lifecycle counts from the object's mtime: wait out one 10-second "day", then run it for
        // this bucket until it has gone (RGW's lifecycle worker holds shard locks for a few seconds).
        await new Promise((resolve) => setTimeout(resolve, 10_500));
        const deadline = Date.now() + 40_000;
        while (Date.now() < deadline) {
          await run('radosgw-admin', ['-c', s3.rgwConf ?? '', 'lc', 'process', `--bucket=${lcBucket}`]);
          if (!(await exists(short))) break;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        expect(await exists(short)).toBe(false);
        expect(await exists(kept)).toBe(true);
      },
      90_000,
    );
  });

  describe('delete', () => {
    it('removes the object; deleting a missing key resolves', async () => {
      const bytes = randomBytes(5);
      const key = newKey();
      await put(await store.createUploadUrl(uploadBody(bytes, { key })), bytes);
      expect(await store.get(key)).toBeDefined();
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.createDownloadUrl(key)).toBeUndefined();
      await expect(store.delete(key)).resolves.toBeUndefined();
    });
  });

  describe('CDN bucket', () => {
    it('cdn: true addresses the CDN bucket; createCDNUrl presigns a GET of it', async () => {
      const bytes = randomBytes(30);
      const key = newKey('cdn');
      await put(await store.createUploadUrl(uploadBody(bytes, { key, cdn: true })), bytes);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.get(key, { cdn: true })).toMatchObject({ size: 30 });
      expect(await store.createCDNUrl(newKey('missing'))).toBeUndefined();

      const cdnUrl = await store.createCDNUrl(key, { ttlSeconds: 600 });
      expect(new URL(cdnUrl?.url ?? '').searchParams.get('X-Amz-Expires')).toBe('600');
      const response = await fetch(cdnUrl?.url ?? '');
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

      const tooLong = await rejection(store.createCDNUrl(key, { ttlSeconds: MAX_S3_PRESIGN_SECONDS + 1 }));
      expect(tooLong).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
      expect(tooLong.message).toMatch(/7 days/);
      expect((await rejection(store.createCDNUrl(key, { ttlSeconds: 30 * 86_400 }))).code).toBe(
        'INVALID_REQUEST',
      );

      await store.delete(key, { cdn: true });
      expect(await store.get(key, { cdn: true })).toBeUndefined();
    });

    it('createCDNUrl answers cdnBaseUrl + the encoded key when a CDN is configured', async () => {
      const bytes = randomBytes(3);
      const key = `${newKey('cdn')}/a b+ü(1).txt`;
      await put(await store.createUploadUrl(uploadBody(bytes, { key, cdn: true })), bytes);
      const cdn = storeWith({ cdnBaseUrl: 'https://cdn.example.com/assets/' });
      const { url } = (await cdn.createCDNUrl(key, { ttlSeconds: 29 * 86_400 })) ?? { url: '' };
      expect(url).toBe(`https://cdn.example.com/assets/${key.replace('a b+ü(1)', 'a%20b%2B%C3%BC%281%29')}`);
      expect(await cdn.createCDNUrl(newKey('missing'))).toBeUndefined();
    });

    it('without a cdnBucket, cdn requests are INVALID_REQUEST', async () => {
      const plain = createS3ObjectStore({ client, bucket });
      expect((await rejection(plain.get('k', { cdn: true }))).code).toBe('INVALID_REQUEST');
      expect((await rejection(plain.createCDNUrl('k'))).code).toBe('INVALID_REQUEST');
    });
  });

  describe('CORS', () => {
    it('configureBucketCors lets the app origin preflight the upload headers and read range headers', async () => {
      await configureBucketCors(client, bucket, ['http://app.test']);
      const rules = (await client.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? [];
      expect(rules).toHaveLength(1);

      const bytes = randomBytes(50);
      const key = newKey();
      const grant = await store.createUploadUrl(
        uploadBody(bytes, { key, ttlSeconds: 3600, overwrite: false }),
      );
      const asked = Object.keys(grant.headers ?? {}).join(',');
      const preflight = (origin: string, method: string, headers: string) =>
        fetch(grant.url, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': headers,
          },
        });
      const allowed = await preflight('http://app.test', 'PUT', asked);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.test');
      expect((await preflight('http://evil.test', 'PUT', asked)).status).toBe(403);
      const ranged = await preflight('http://app.test', 'GET', 'range,if-range');
      expect(ranged.status).toBe(200);

      expect((await put(grant, bytes, { origin: 'http://app.test' })).status).toBe(200);
      const download = await store.createDownloadUrl(key);
      const response = await fetch(download?.url ?? '', {
        headers: { origin: 'http://app.test', range: 'bytes=0-9' },
      });
      expect(response.status).toBe(206);
      const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      for (const name of ['etag', 'content-range', 'content-length', 'accept-ranges'])
        expect(exposed).toContain(name);
      await response.arrayBuffer();
    });

    it('configureBucketCors wants at least one origin', async () => {
      expect((await rejection(configureBucketCors(client, bucket, []))).code).toBe('INVALID_INPUT');
    });
  });

  describe('errors', () => {
    it('wrong credentials are SIGNATURE_INVALID; an unreachable endpoint is a retryable BACKEND error', async () => {
      const wrong = new S3Client({ ...s3ClientConfig({ ...s3, secretAccessKey: 'not-the-secret' }) });
      expect(await rejection(createS3ObjectStore({ client: wrong, bucket }).delete('k'))).toMatchObject({
        code: 'SIGNATURE_INVALID',
        status: 403,
        retryable: false,
      });
      wrong.destroy();
      const closed = new S3Client({
        ...s3ClientConfig({ ...s3, endpoint: 'http://127.0.0.1:9' }),
        maxAttempts: 1,
      });
      expect(await rejection(createS3ObjectStore({ client: closed, bucket }).get('k'))).toMatchObject({
        code: 'BACKEND',
        retryable: true,
      });
      closed.destroy();
    });
  });

  describe('served through createObjectStoreHandler, as a browser app would use it', () => {
    let server: Server;
    let baseUrl: string;

    beforeAll(async () => {
      server = createServer(createObjectStoreHandler(store, { corsOrigins: ['http://app.test'] }));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('createHttpBackend gets upload URLs with their headers, and the object PUT there reads back', async () => {
      const backend = createHttpBackend({ baseUrl });
      const bytes = randomBytes(2048);
      const key = newKey('http');
      const grant = await backend.createUploadUrl(uploadBody(bytes, { key, contentType: 'image/png' }));
      expect(grant.headers?.['x-amz-checksum-sha256']).toBe(sha256(bytes));
      expect((await put(grant, bytes)).status).toBe(200);
      expect(await backend.get(key)).toMatchObject({ key, checksum: sha256(bytes), size: 2048 });

      const download = await backend.createDownloadUrl(key);
      const part = await fetch(download?.url ?? '', { headers: { range: 'bytes=1000-1999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);

      await backend.delete(key);
      expect(await backend.get(key)).toBeUndefined();
      expect(await backend.createDownloadUrl(key)).toBeUndefined();
      const refused = await rejection(backend.createUploadUrl(uploadBody(bytes, { key: 'a/./b' })));
      expect(refused).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
    });

    it('the upload client stores files in S3; a PUT that loses an overwrite: false race is OBJECT_EXISTS', async () => {
      const client = createObjectStore({
        backend: createHttpBackend({ baseUrl }),
        hasher: nodeHasher,
        transport: createFetchTransport(),
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      const bytes = randomBytes(100_000);
      const key = newKey('client');
      const ref = await client.upload(new Blob([bytes], { type: 'application/x-test' }), { key }).done;
      expect(ref).toMatchObject({ key, checksum: sha256(bytes), checksumType: 'SHA256', size: 100_000 });
      expect(await store.get(key)).toMatchObject({
        checksum: sha256(bytes),
        contentType: 'application/x-test',
      });

      // A URL signed before another upload took the key: the store's If-None-Match answers 412,
      // which the upload engine reports as OBJECT_EXISTS.
      const taken = newKey('client');
      const first = randomBytes(10);
      const early = await store.createUploadUrl(uploadBody(first, { key: taken, overwrite: false }));
      await client.upload(new Blob([first]), { key: taken, overwrite: false }).done;
      const late = createObjectStore({
        backend: { ...createHttpBackend({ baseUrl }), createUploadUrl: async () => early },
        hasher: nodeHasher,
        transport: createFetchTransport(),
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      await expect(
        late.upload(new Blob([first]), { key: taken, overwrite: false }).done,
      ).rejects.toMatchObject({
        code: 'OBJECT_EXISTS',
        status: 412,
        retryable: false,
      });
    });
  });

  it('uploads through the SDK (not our URLs) still get a reference, without a checksum we cannot know', async () => {
    const key = newKey();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'plain' }));
    expect(await store.get(key)).toMatchObject({ key, size: 5, checksum: '' });
  });
});
