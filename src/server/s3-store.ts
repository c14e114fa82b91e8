import type { HeadObjectCommandOutput, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { DOWNLOAD_CACHE_CONTROL } from '../core/cache-control';
import { ObjectStoreError } from '../core/errors';
import { DEFAULT_CONTENT_TYPE, PRESIGNED_URL_TTL_SECONDS } from '../core/limits';
import { parseOptionalBoolean } from '../core/request-validation';
import {
  CHECKSUM_TYPES,
  type ChecksumType,
  type ObjectReference,
  type PresignedUrlResponse,
} from '../core/types';
import { TTL_TAG, ttlDayStep } from './s3-bucket';
import { fromS3Error, isS3NotFound } from './s3-errors';
import { checkS3Key, checkS3UploadBody } from './s3-input';
import { loadS3Sdk } from './s3-sdk';
import type { ObjectStore } from './store';
import { type CheckedUploadBody, checkCdnTtl } from './validate';

/** SigV4 pre-signed URLs live at most 7 days. */
export const MAX_S3_PRESIGN_SECONDS = 604_800;

/** Object metadata the store writes (as `x-amz-meta-*`) and reads back in `get`. */
const META_CHECKSUM = 'objectdrop-checksum';
const META_CHECKSUM_TYPE = 'objectdrop-checksum-type';
const META_TTL = 'objectdrop-ttl-seconds';

export interface S3ObjectStoreOptions {
  /**
   * The `S3Client` that signs the URLs; its endpoint is where browsers send the bytes, so it must be
   * reachable from them. Create it with `requestChecksumCalculation: 'WHEN_REQUIRED'`: by default
   * the SDK adds a CRC32 of an empty body to presigned requests, which a real upload cannot match.
   * (The upload URLs this store signs are clean either way; other commands you send are not.)
   * For MinIO, Ceph RGW and most self-hosted stores also set `forcePathStyle: true`.
   */
  client: S3Client;
  /** Bucket of ordinary objects. */
  bucket: string;
  /** Bucket addressed by `cdn: true` and `createCDNUrl`. Without it those calls fail with `INVALID_REQUEST`. */
  cdnBucket?: string;
  /**
   * Public base URL of a CDN in front of `cdnBucket` (CloudFront, R2 custom domain…). When set,
   * `createCDNUrl` answers `cdnBaseUrl + '/' + encoded key`: public and cacheable, with no expiry of
   * its own. Without it, `createCDNUrl` answers a presigned GET of `cdnBucket` (at most 7 days).
   */
  cdnBaseUrl?: string;
  /** Lifetime of upload and download URLs, `1…604800` (SigV4's 7 days). Default 3600, the seed's 1 hour. */
  urlTtlSeconds?: number;
  /**
   * Tag objects uploaded with `ttlSeconds` (`objectdrop-ttl-days=<n>`, sent as `x-amz-tagging`) so the
   * rules of `configureTtlLifecycle` delete them. Turn off for stores without object tagging (some
   * reject the header); `get` and downloads still treat expired objects as missing. Default `true`.
   */
  ttlTagging?: boolean;
  /** Clock in epoch ms: signing date of URLs and `ttlSeconds` expiry. Default `Date.now`. */
  now?: () => number;
}

/** Headers of an upload URL that are part of the signature, and so must be sent as they are. */
const CHECKSUM_HEADER: Readonly<Record<ChecksumType, string>> = {
  SHA1: 'x-amz-checksum-sha1',
  SHA256: 'x-amz-checksum-sha256',
  CRC32: 'x-amz-checksum-crc32',
  CRC32C: 'x-amz-checksum-crc32c',
};
const CHECKSUM_INPUT: Readonly<Record<ChecksumType, keyof PutObjectCommandInput>> = {
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
};
// Set by the browser itself, never by the page.
const BROWSER_SET_HEADERS = new Set(['host', 'content-length']);

function checkOption(value: unknown, name: string, valid: boolean, expected: string): void {
  if (!valid)
    throw new ObjectStoreError('INVALID_INPUT', `createS3ObjectStore: ${name} must be ${expected}.`, {
      retryable: false,
      cause: value,
    });
}

/** Percent-encodes a key for a URL path: each segment encoded, `/` kept (RFC 3986, as S3 does). */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

interface LiveObject {
  head: HeadObjectCommandOutput;
  /** Epoch ms at which `ttlSeconds` runs out, if it was set. */
  expiresAt: number | undefined;
}

/**
 * An `ObjectStore` over any S3-compatible store (AWS S3, Cloudflare R2, MinIO, Ceph RGW), with the
 * same methods and shapes as the local store: the same HTTP handler serves it and browsers need no
 * change. Upload URLs bind the length, content type and checksum; their `headers` must be sent
 * with the PUT (the upload engine does). Needs `@aws-sdk/client-s3` and
 * `@aws-sdk/s3-request-presigner` (optional peer dependencies).
 *
 * What stores enforce differs: AWS S3 and MinIO reject bytes whose checksum differs from the signed
 * `x-amz-checksum-*` header; Ceph RGW 16 stores them anyway (downloads verified by the client still
 * catch it). `overwrite: false` is checked before signing and sent as `If-None-Match: *`, which
 * AWS S3 (since 2024) and RGW 16 answer with 412 when the key was taken meanwhile; on a store that
 * ignores it, a racing upload between our check and the PUT can still overwrite. See docs/s3.md.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { client, bucket, cdnBucket, cdnBaseUrl } = options;
  const urlTtlSeconds = options.urlTtlSeconds ?? PRESIGNED_URL_TTL_SECONDS;
  const now = options.now ?? Date.now;
  const ttlTagging = options.ttlTagging ?? true;
  checkOption(client, 'client', typeof client?.send === 'function', 'an S3Client');
  checkOption(bucket, 'bucket', typeof bucket === 'string' && bucket.length > 0, 'a bucket name');
  checkOption(
    cdnBucket,
    'cdnBucket',
    cdnBucket === undefined || (typeof cdnBucket === 'string' && !!cdnBucket),
    'a bucket name',
  );
  checkOption(
    cdnBaseUrl,
    'cdnBaseUrl',
    cdnBaseUrl === undefined || (typeof cdnBaseUrl === 'string' && /^https?:\/\/[^/]/.test(cdnBaseUrl)),
    'an http(s) URL',
  );
  checkOption(
    urlTtlSeconds,
    'urlTtlSeconds',
    Number.isInteger(urlTtlSeconds) && urlTtlSeconds >= 1 && urlTtlSeconds <= MAX_S3_PRESIGN_SECONDS,
    `an integer from 1 to ${MAX_S3_PRESIGN_SECONDS} (SigV4's 7 days)`,
  );
  const cdnBase = cdnBaseUrl?.replace(/\/+$/, '');

  function bucketFor(cdn: unknown): string {
    if (!parseOptionalBoolean(cdn, 'cdn')) return bucket;
    if (cdnBucket === undefined)
      throw new ObjectStoreError('INVALID_REQUEST', 'cdn: this store has no cdnBucket configured.', {
        status: 400,
      });
    return cdnBucket;
  }

  /** HeadObject, with a missing or expired object as `undefined`. */
  async function live(target: string, key: string): Promise<LiveObject | undefined> {
    const { s3 } = await loadS3Sdk();
    let head: HeadObjectCommandOutput;
    try {
      head = await client.send(
        new s3.HeadObjectCommand({ Bucket: target, Key: key, ChecksumMode: 'ENABLED' }),
      );
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw fromS3Error(error, `HeadObject ${target}/${key}`);
    }
    const ttl = Number(head.Metadata?.[META_TTL]);
    const expiresAt =
      Number.isFinite(ttl) && ttl > 0 && head.LastModified
        ? head.LastModified.getTime() + ttl * 1000
        : undefined;
    if (expiresAt !== undefined && now() >= expiresAt) return undefined;
    return { head, expiresAt };
  }

  function toReference(key: string, { head }: LiveObject): ObjectReference {
    const meta = head.Metadata ?? {};
    const declaredType = meta[META_CHECKSUM_TYPE] as ChecksumType | undefined;
    let checksumType = declaredType && CHECKSUM_TYPES.includes(declaredType) ? declaredType : undefined;
    let checksum = checksumType ? meta[META_CHECKSUM] : undefined;
    // Uploaded by something else: the store's own full-object checksum, where it keeps one
    // (a multipart upload's composite checksum, "<digest>-<parts>", is no digest of the bytes).
    if (!checksum) {
      const storedOf = (type: ChecksumType) => head[CHECKSUM_INPUT[type] as keyof HeadObjectCommandOutput];
      const stored = CHECKSUM_TYPES.find((type) => {
        const value = storedOf(type);
        return typeof value === 'string' && !value.includes('-');
      });
      checksumType = stored;
      checksum = stored ? String(storedOf(stored)) : undefined;
    }
    const modified = head.LastModified?.toISOString();
    const version = head.VersionId ?? head.ETag?.replace(/^(W\/)?"|"$/g, '');
    return {
      key,
      checksum: checksum ?? '',
      size: head.ContentLength ?? 0,
      // S3 keeps no creation time apart from the last write: each PUT makes a new object.
      ...(modified ? { createdAt: modified, updatedAt: modified } : {}),
      ...(version ? { currentVersion: version } : {}),
      contentType: head.ContentType ?? DEFAULT_CONTENT_TYPE,
      ...(checksumType ? { checksumType } : {}),
    };
  }

  /**
   * Presigned GET, never outliving the object's TTL. A download URL (not a CDN one) asks S3 to answer with
   * `DOWNLOAD_CACHE_CONTROL`, as the local store does.
   */
  async function presignGet(
    target: string,
    key: string,
    object: LiveObject,
    seconds: number,
    options: { noStore?: boolean } = {},
  ): Promise<string> {
    const { s3, presigner } = await loadS3Sdk();
    const left = object.expiresAt === undefined ? seconds : Math.ceil((object.expiresAt - now()) / 1000);
    const command = new s3.GetObjectCommand({
      Bucket: target,
      Key: key,
      ...(options.noStore ? { ResponseCacheControl: DOWNLOAD_CACHE_CONTROL } : {}),
    });
    try {
      return await presigner.getSignedUrl(client, command, {
        expiresIn: Math.max(1, Math.min(seconds, left)),
        signingDate: new Date(now()),
      });
    } catch (error) {
      throw fromS3Error(error, `presigning GetObject ${target}/${key}`);
    }
  }

  async function createUploadUrl(input: unknown): Promise<PresignedUrlResponse> {
    const body: CheckedUploadBody = checkS3UploadBody(input);
    const target = bucketFor(body.cdn);
    const { s3, presigner } = await loadS3Sdk();
    if (!body.overwrite) {
      if (await live(target, body.key))
        throw new ObjectStoreError('OBJECT_EXISTS', `key: an object named "${body.key}" already exists.`, {
          status: 409,
        });
      // An expired object may still be there until the lifecycle rule runs; If-None-Match would trip on it.
      await deleteFrom(target, body.key);
    }
    const contentType = body.contentType ?? DEFAULT_CONTENT_TYPE;
    const metadata: Record<string, string> = {
      [META_CHECKSUM]: body.checksum,
      [META_CHECKSUM_TYPE]: body.checksumType,
    };
    const headers: Record<string, string> = {
      'content-type': contentType,
      [CHECKSUM_HEADER[body.checksumType]]: body.checksum,
      'x-amz-sdk-checksum-algorithm': body.checksumType,
    };
    const commandInput: PutObjectCommandInput = {
      Bucket: target,
      Key: body.key,
      ContentLength: body.length,
      ContentType: contentType,
      // Naming the algorithm keeps the SDK from adding its own (empty-body) CRC32 to the URL.
      ChecksumAlgorithm: body.checksumType,
      [CHECKSUM_INPUT[body.checksumType]]: body.checksum,
      Metadata: metadata,
    };
    if (body.ttlSeconds !== undefined) {
      metadata[META_TTL] = String(body.ttlSeconds);
      const step = ttlTagging ? ttlDayStep(body.ttlSeconds) : undefined;
      if (step !== undefined) {
        commandInput.Tagging = `${TTL_TAG}=${step}`;
        headers['x-amz-tagging'] = commandInput.Tagging;
      }
    }
    for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name}`] = value;
    if (!body.overwrite) {
      commandInput.IfNoneMatch = '*';
      headers['if-none-match'] = '*';
    }
    let url: string;
    try {
      url = await presigner.getSignedUrl(client, new s3.PutObjectCommand(commandInput), {
        expiresIn: urlTtlSeconds,
        signingDate: new Date(now()),
        // Signed headers, not query parameters: stores differ in honouring x-amz-* in the query
        // (RGW 16 drops x-amz-tagging there), and only a header makes S3 check the checksum.
        unhoistableHeaders: new Set(Object.keys(headers).filter((name) => name.startsWith('x-amz-'))),
        // The S3 presigner leaves Content-Type unsigned unless told; signed, the stored type is the declared one.
        signableHeaders: new Set(['content-type']),
      });
    } catch (error) {
      throw fromS3Error(error, `presigning PutObject ${target}/${body.key}`);
    }
    // A client middleware that adds signed headers would make every PUT fail with 403: say so now.
    const signed = new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';') ?? [];
    const unknown = signed.filter((name) => !BROWSER_SET_HEADERS.has(name) && !(name in headers));
    if (unknown.length > 0)
      throw new ObjectStoreError(
        'BACKEND',
        `The S3Client signed headers a browser cannot know (${unknown.join(', ')}); remove the middleware that adds them.`,
        { status: 500, retryable: false },
      );
    return { url, headers };
  }

  async function deleteFrom(target: string, key: string): Promise<void> {
    const { s3 } = await loadS3Sdk();
    try {
      await client.send(new s3.DeleteObjectCommand({ Bucket: target, Key: key }));
    } catch (error) {
      if (!isS3NotFound(error)) throw fromS3Error(error, `DeleteObject ${target}/${key}`);
    }
  }

  async function createDownloadUrl(
    key: string,
    opts?: { cdn?: boolean },
  ): Promise<PresignedUrlResponse | undefined> {
    checkS3Key(key);
    const target = bucketFor(opts?.cdn);
    const object = await live(target, key);
    if (!object) return undefined;
    return { url: await presignGet(target, key, object, urlTtlSeconds, { noStore: true }) };
  }

  return {
    async get(key, opts) {
      checkS3Key(key);
      const object = await live(bucketFor(opts?.cdn), key);
      return object && toReference(key, object);
    },

    async delete(key, opts) {
      checkS3Key(key);
      await deleteFrom(bucketFor(opts?.cdn), key);
    },

    createUploadUrl,
    // The client's endpoint is what browsers reach: internal and public URLs are the same here.
    createPublicUploadUrl: createUploadUrl,
    createDownloadUrl,
    createPublicDownloadUrl: createDownloadUrl,

    async createCDNUrl(key, opts) {
      checkS3Key(key);
      const ttlSeconds = checkCdnTtl(opts?.ttlSeconds);
      const target = bucketFor(true);
      if (!cdnBase && ttlSeconds !== undefined && ttlSeconds > MAX_S3_PRESIGN_SECONDS)
        throw new ObjectStoreError(
          'INVALID_REQUEST',
          `ttlSeconds: ${ttlSeconds} s is longer than a SigV4 presigned URL can live (${MAX_S3_PRESIGN_SECONDS} s, 7 days). Configure cdnBaseUrl for longer-lived CDN URLs.`,
          { status: 400 },
        );
      const object = await live(target, key);
      if (!object) return undefined;
      if (cdnBase) return { url: `${cdnBase}/${encodeS3Key(key)}` };
      return { url: await presignGet(target, key, object, ttlSeconds ?? urlTtlSeconds) };
    },
  };
}
