import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { ObjectStoreError } from '../core/errors';
import { DEFAULT_CONTENT_TYPE } from '../core/limits';
import { parseKey, parseOptionalBoolean } from '../core/request-validation';
import type { ChecksumType, ObjectReference, PresignedUrlResponse, UploadUrlBody } from '../core/types';
import { createHasher, type Hasher } from './checksums';
import { BUCKETS, type Bucket, createDiskLayout, type StoredMeta, toReference } from './disk';
import { createFaultController, type FaultController, type FaultSettings } from './faults';
import { DEFAULT_STORE_LIMITS, type StoreLimits } from './limits';
import { sign, verify } from './signing';
import type { ObjectStore } from './store';
import { checkCdnTtl, checkUploadBody } from './validate';

export interface LocalObjectStoreOptions {
  /**
   * Folder holding the objects (created if missing). Temp files left in it by a crash are swept
   * at start. One process per folder: writes are serialised per key inside the process only.
   */
  dir: string;
  /** HMAC key of the pre-signed URLs. Default: random per process (URLs die with the process). */
  secret?: string;
  /** Absolute URL the handler is served at; pre-signed URLs point under it (`${baseUrl}/objects/…`). */
  baseUrl: string;
  /** Overrides of the documented limits (1 GiB objects, 1024-byte bodies, 1-hour URLs, rate limits). */
  limits?: Partial<StoreLimits>;
  /** Clock in epoch ms, for URL expiry and `ttlSeconds`. Default `Date.now`. */
  now?: () => number;
  /** Initial fault settings, or a controller shared with something else. Default: no faults. */
  faults?: FaultSettings | FaultController;
  /**
   * Flush each object and its metadata to the device before the PUT is answered, so a committed
   * upload survives power loss, not only a crash of the process. Slower. Default `false`.
   */
  durable?: boolean;
}

/** What a verified pre-signed PUT URL allows. */
export interface UploadGrant {
  bucket: Bucket;
  key: string;
  length: number;
  checksum: string;
  checksumType: ChecksumType;
  overwrite: boolean;
  ttlSeconds: number | undefined;
  contentType: string | undefined;
}

/** What a verified pre-signed GET/HEAD (or CDN) URL allows. */
export interface DownloadGrant {
  bucket: Bucket;
  key: string;
  /** Set on CDN URLs: answered with `Cache-Control: public, max-age=<cacheSeconds>`. */
  cacheSeconds: number | undefined;
}

/** One version of an object, opened for reading: it stays readable if overwritten meanwhile. */
export interface OpenedObject {
  reference: ObjectReference;
  size: number;
  updatedAtMs: number;
  handle: FileHandle;
}

/**
 * The local disk store: the SDK surface of `ObjectStore` plus the data plane its HTTP handler
 * serves (verifying pre-signed URLs, receiving PUT bodies, opening objects for GET).
 */
export interface LocalObjectStore extends ObjectStore {
  readonly baseUrl: string;
  readonly limits: Readonly<StoreLimits>;
  readonly faults: FaultController;
  readonly now: () => number;
  /** Resolves once the folders exist and the start-up sweep is done; every method waits for it. */
  readonly ready: Promise<void>;
  /** Verifies a pre-signed URL (path relative to `baseUrl`, with its query). Throws 403 / 404. */
  authorize(method: 'PUT', pathAndQuery: string): UploadGrant;
  authorize(method: 'GET', pathAndQuery: string): DownloadGrant;
  /**
   * Streams `body` to a temp file while hashing it, checks length and checksum, then renames it
   * into place. Nothing is visible unless all checks pass.
   */
  receive(grant: UploadGrant, body: NodeJS.ReadableStream, contentType?: string): Promise<ObjectReference>;
  /** Opens the current version, or `undefined` when missing or expired. Close `handle` when done. */
  open(bucket: Bucket, key: string): Promise<OpenedObject | undefined>;
}

const DATA_PREFIX = '/objects/';
const STREAM_CHUNK = 1024 * 1024;

function bucketOf(cdn: boolean | undefined): Bucket {
  return cdn ? 'cdn' : 'default';
}

/** The bucket a `(key, { cdn })` call addresses, once both are checked. */
function bucketFor(key: string, cdn: unknown): Bucket {
  parseKey(key);
  return bucketOf(parseOptionalBoolean(cdn, 'cdn'));
}

function isFaultController(value: unknown): value is FaultController {
  return typeof (value as FaultController | undefined)?.takeDrop === 'function';
}

/**
 * Writes `body` to `path`, hashing what it writes, and resolves with the bytes received. Past
 * `expected` it keeps reading but drops the rest, so the client still gets our 400. Plain
 * events rather than a Transform in a pipeline: one hop less per chunk on the hot path.
 */
function receiveToFile(
  body: NodeJS.ReadableStream,
  path: string,
  hasher: Hasher,
  expected: number,
  flush: boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { highWaterMark: 4 * STREAM_CHUNK, flush });
    let received = 0;
    let ended = false;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      body.removeListener('data', onData);
      // Reject only once the file is closed, so the caller's cleanup finds it.
      if (out.closed) reject(error);
      else {
        out.once('close', () => reject(error));
        out.destroy();
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > expected) return;
      hasher.update(chunk);
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    body.on('data', onData);
    body.once('end', () => {
      ended = true;
      out.end((error?: Error | null) => {
        if (error) fail(error);
        else if (!failed) resolve(received);
      });
    });
    body.once('error', fail);
    body.once('close', () => {
      if (!ended) fail(new ObjectStoreError('NETWORK', 'The upload was cut off.', { status: 400 }));
    });
    out.once('error', fail);
  });
}

export function createLocalObjectStore(options: LocalObjectStoreOptions): LocalObjectStore {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const limits: StoreLimits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const faults = isFaultController(options.faults) ? options.faults : createFaultController(options.faults);
  const disk = createDiskLayout(options.dir, options.durable === true);
  const ready = disk.prepare(now());
  // Commits and deletes of one key run one at a time, so "previous version" is well defined.
  const locks = new Map<string, Promise<unknown>>();

  async function withLock<T>(lockId: string, task: () => Promise<T>): Promise<T> {
    const run = (locks.get(lockId) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    locks.set(lockId, tail);
    try {
      return await run;
    } finally {
      if (locks.get(lockId) === tail) locks.delete(lockId);
    }
  }

  /** The live metadata, or `undefined`; an expired object is removed on the way. */
  async function live(bucket: Bucket, key: string): Promise<StoredMeta | undefined> {
    await ready;
    const id = disk.idOf(key);
    const meta = await disk.readMeta(bucket, id);
    if (!meta || meta.expiresAt === undefined || meta.expiresAt > now()) return meta;
    await withLock(`${bucket}/${id}`, async () => {
      const again = await disk.readMeta(bucket, id);
      if (again && again.currentVersion === meta.currentVersion) await disk.removeObject(bucket, id, again);
    });
    return undefined;
  }

  function signedUrl(method: 'PUT' | 'GET', bucket: Bucket, params: Array<[string, string]>): string {
    const signature = sign(secret, method, [['bucket', bucket], ...params]);
    const query = new URLSearchParams([...params, ['signature', signature]]);
    return `${baseUrl}${DATA_PREFIX}${bucket}?${query}`;
  }

  function expiresIn(seconds: number): string {
    return String(Math.floor(now() / 1000 + seconds));
  }

  function presignTtl(): number {
    return faults.get().urlTtlSeconds ?? limits.urlTtlSeconds;
  }

  function exists(key: string): ObjectStoreError {
    return new ObjectStoreError(
      'OBJECT_EXISTS',
      `An object with key ${JSON.stringify(key)} exists and overwrite is false.`,
      {
        status: 409,
      },
    );
  }

  async function createUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse> {
    const checked = checkUploadBody(body, limits.maxObjectSize);
    const bucket = bucketOf(checked.cdn);
    if (!checked.overwrite && (await live(bucket, checked.key))) throw exists(checked.key);
    const params: Array<[string, string]> = [
      ['key', checked.key],
      ['length', String(checked.length)],
      ['checksum', checked.checksum],
      ['checksumType', checked.checksumType],
      ['overwrite', checked.overwrite ? '1' : '0'],
    ];
    if (checked.ttlSeconds !== undefined) params.push(['ttlSeconds', String(checked.ttlSeconds)]);
    if (checked.contentType !== undefined) params.push(['contentType', checked.contentType]);
    params.push(['expires', expiresIn(presignTtl())]);
    return { url: signedUrl('PUT', bucket, params) };
  }

  async function createDownloadUrl(
    key: string,
    opts?: { cdn?: boolean },
  ): Promise<PresignedUrlResponse | undefined> {
    const bucket = bucketFor(key, opts?.cdn);
    if (!(await live(bucket, key))) return undefined;
    return {
      url: signedUrl('GET', bucket, [
        ['key', key],
        ['expires', expiresIn(presignTtl())],
      ]),
    };
  }

  function authorize(method: 'PUT', pathAndQuery: string): UploadGrant;
  function authorize(method: 'GET', pathAndQuery: string): DownloadGrant;
  function authorize(method: 'PUT' | 'GET', pathAndQuery: string): UploadGrant | DownloadGrant {
    const url = new URL(pathAndQuery, 'http://local');
    const bucket = url.pathname.slice(DATA_PREFIX.length) as Bucket;
    if (!url.pathname.startsWith(DATA_PREFIX) || !BUCKETS.includes(bucket))
      throw new ObjectStoreError('NOT_FOUND', 'No such bucket.', { status: 404 });
    const params = [...url.searchParams].filter(([name]) => name !== 'signature');
    verify(secret, method, [['bucket', bucket], ...params], url.searchParams.get('signature'), now());
    const q = url.searchParams;
    const key = q.get('key') ?? '';
    if (method === 'GET') {
      const maxAge = q.get('maxAge');
      return { bucket, key, cacheSeconds: maxAge === null ? undefined : Number(maxAge) };
    }
    const ttl = q.get('ttlSeconds');
    return {
      bucket,
      key,
      length: Number(q.get('length')),
      checksum: q.get('checksum') ?? '',
      checksumType: q.get('checksumType') as ChecksumType,
      overwrite: q.get('overwrite') !== '0',
      ttlSeconds: ttl === null ? undefined : Number(ttl),
      contentType: q.get('contentType') ?? undefined,
    };
  }

  async function receive(
    grant: UploadGrant,
    body: NodeJS.ReadableStream,
    contentType?: string,
  ): Promise<ObjectReference> {
    await ready;
    if (!grant.overwrite && (await live(grant.bucket, grant.key))) throw exists(grant.key);
    const temp = disk.tempPath();
    const hasher = createHasher(grant.checksumType);
    try {
      const received = await receiveToFile(body, temp, hasher, grant.length, options.durable === true);
      if (received !== grant.length)
        throw new ObjectStoreError(
          'LENGTH_MISMATCH',
          `The body has ${received} bytes; the URL was signed for ${grant.length}.`,
          { status: 400 },
        );
      if (hasher.digest() !== grant.checksum)
        throw new ObjectStoreError(
          'CHECKSUM_MISMATCH',
          `The body's ${grant.checksumType} does not match the checksum the URL was signed for.`,
          { status: 400 },
        );
      const id = disk.idOf(grant.key);
      return await withLock(`${grant.bucket}/${id}`, async () => {
        // Not `live()`: that takes this same lock to remove an expired object.
        const stored = await disk.readMeta(grant.bucket, id);
        const previous =
          stored && (stored.expiresAt === undefined || stored.expiresAt > now()) ? stored : undefined;
        if (previous && !grant.overwrite) throw exists(grant.key);
        const version = `${now().toString(36)}-${randomBytes(6).toString('hex')}`;
        await rename(temp, disk.dataPath(grant.bucket, id, version));
        const at = new Date(now()).toISOString();
        const meta: StoredMeta = {
          key: grant.key,
          checksum: grant.checksum,
          checksumType: grant.checksumType,
          size: grant.length,
          contentType: contentType || grant.contentType || DEFAULT_CONTENT_TYPE,
          createdAt: previous?.createdAt ?? at,
          updatedAt: at,
          currentVersion: version,
          ...(grant.ttlSeconds === undefined ? {} : { expiresAt: now() + grant.ttlSeconds * 1000 }),
        };
        try {
          await disk.writeMeta(grant.bucket, id, meta);
        } catch (error) {
          await rm(disk.dataPath(grant.bucket, id, version), { force: true });
          throw error;
        }
        if (stored) await disk.removeVersion(grant.bucket, id, stored.currentVersion);
        return toReference(meta);
      });
    } finally {
      await rm(temp, { force: true });
    }
  }

  async function openObject(bucket: Bucket, key: string): Promise<OpenedObject | undefined> {
    // An overwrite may unlink the version between reading the metadata and opening it: read again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const meta = await live(bucket, key);
      if (!meta) return undefined;
      try {
        const handle = await open(disk.dataPath(bucket, disk.idOf(key), meta.currentVersion), 'r');
        return {
          reference: toReference(meta),
          size: meta.size,
          updatedAtMs: Date.parse(meta.updatedAt),
          handle,
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return undefined;
  }

  return {
    baseUrl,
    limits,
    faults,
    now,
    ready,
    authorize,
    receive,
    open: openObject,
    async get(key, opts) {
      const meta = await live(bucketFor(key, opts?.cdn), key);
      return meta && toReference(meta);
    },
    async delete(key, opts) {
      const bucket = bucketFor(key, opts?.cdn);
      await ready;
      const id = disk.idOf(key);
      await withLock(`${bucket}/${id}`, async () => {
        const meta = await disk.readMeta(bucket, id);
        if (meta) await disk.removeObject(bucket, id, meta);
      });
    },
    createUploadUrl,
    createPublicUploadUrl: createUploadUrl,
    createDownloadUrl,
    createPublicDownloadUrl: createDownloadUrl,
    async createCDNUrl(key, opts) {
      parseKey(key);
      const ttl = checkCdnTtl(opts?.ttlSeconds) ?? limits.urlTtlSeconds;
      // Only objects uploaded with `cdn: true` can be served over the CDN, as in the seed.
      if (!(await live('cdn', key))) return undefined;
      return {
        url: signedUrl('GET', 'cdn', [
          ['key', key],
          ['maxAge', String(Math.floor(ttl))],
          ['expires', expiresIn(ttl)],
        ]),
      };
    },
  };
}
