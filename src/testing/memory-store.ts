import { ObjectStoreError } from '../core/errors';
import { DEFAULT_CONTENT_TYPE, MAX_UPLOAD_URL_BATCH, PRESIGNED_URL_TTL_SECONDS } from '../core/limits';
import {
  assertPayloadSize,
  parseBucketRequest,
  parseCdnUrlRequest,
  parseUploadUrlBody,
} from '../core/request-validation';
import type { ChecksumType, ObjectReference, PresignedUrlResponse, UploadUrlBody } from '../core/types';
import type { FaultState } from './faults';

export type MemoryBucket = 'default' | 'cdn';

/** One stored object, as `backend.objects()` shows it to tests. */
export interface MemoryObject {
  bucket: MemoryBucket;
  key: string;
  size: number;
  checksum: string;
  checksumType: ChecksumType;
  contentType: string;
  createdAt: string;
  updatedAt: string;
  currentVersion: string;
  /** When the object's `ttlSeconds` runs out, if it had one. */
  expiresAt?: string;
  data: Blob;
}

/** What a pre-signed URL allows. The URL carries a random token that names it. */
export interface Grant {
  method: 'PUT' | 'GET';
  bucket: MemoryBucket;
  key: string;
  expiresAtMs: number;
  upload?: UploadUrlBody;
  /** CDN URLs are served with `Cache-Control: public, max-age=…`. */
  cacheSeconds?: number;
}

interface Stored extends MemoryObject {
  expiresAtMs?: number;
}

interface CallOptions {
  signal?: AbortSignal;
}

export interface MemoryStoreCoreOptions {
  faults: FaultState;
  now: () => number;
  maxObjectSize: number;
}

let storeCounter = 0;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function forbidden(code: 'SIGNATURE_INVALID' | 'URL_EXPIRED', message: string): ObjectStoreError {
  return new ObjectStoreError(code, message, { status: 403 });
}

/**
 * The state behind `createMemoryBackend`: objects in two buckets, the grants of live URLs, and the
 * API calls with the local store's checks. The transport (memory-transport.ts) serves the URLs.
 */
export function createMemoryStoreCore(options: MemoryStoreCoreOptions) {
  const { faults, now } = options;
  const host = `store-${++storeCounter}-${randomToken().slice(0, 6)}`;
  const buckets: Record<MemoryBucket, Map<string, Stored>> = { default: new Map(), cdn: new Map() };
  const grants = new Map<string, Grant>();
  let versionCounter = 0;

  const bucketOf = (cdn: boolean | undefined): MemoryBucket => (cdn ? 'cdn' : 'default');

  function lookup(bucket: MemoryBucket, key: string): Stored | undefined {
    const found = buckets[bucket].get(key);
    if (found?.expiresAtMs !== undefined && found.expiresAtMs <= now()) {
      buckets[bucket].delete(key);
      return undefined;
    }
    return found;
  }

  function reference(stored: Stored): ObjectReference {
    return {
      key: stored.key,
      checksum: stored.checksum,
      checksumType: stored.checksumType,
      size: stored.size,
      contentType: stored.contentType,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      currentVersion: stored.currentVersion,
    };
  }

  function sweepGrants(): void {
    if (grants.size < 1000) return;
    const at = now();
    for (const [token, grant] of grants) if (grant.expiresAtMs <= at) grants.delete(token);
  }

  function issue(grant: Omit<Grant, 'expiresAtMs'>, ttlSeconds: number): PresignedUrlResponse {
    sweepGrants();
    const token = randomToken();
    const expiresAtMs = now() + ttlSeconds * 1000;
    grants.set(token, { ...grant, expiresAtMs });
    const expires = Math.floor(expiresAtMs / 1000);
    return {
      // The key rides in the query: as a path segment, keys like `..` would be normalised away.
      url: `memory://${host}/${grant.bucket}/${token}?key=${encodeURIComponent(grant.key)}&expires=${expires}`,
    };
  }

  /** What every call goes through first: the latency and the injected failures. */
  async function arrive(call: CallOptions | undefined): Promise<void> {
    await faults.latency(call?.signal);
    const failure = faults.rollFailure();
    if (failure) throw failure;
  }

  /** Latency, then the injected 429/5xx, then the 1 kB payload limit: the order of a real server. */
  async function begin(payload: unknown, call: CallOptions | undefined): Promise<void> {
    await arrive(call);
    assertPayloadSize(payload);
  }

  const urlTtl = () => faults.current.urlTtlSeconds ?? PRESIGNED_URL_TTL_SECONDS;

  function checkUpload(body: UploadUrlBody) {
    const checked = parseUploadUrlBody(body);
    if (checked.length > options.maxObjectSize)
      throw new ObjectStoreError(
        'OBJECT_TOO_LARGE',
        `length ${checked.length} exceeds the store's limit of ${options.maxObjectSize} bytes.`,
        { status: 413, retryable: false },
      );
    const bucket = bucketOf(checked.cdn);
    if (checked.overwrite === false && lookup(bucket, checked.key))
      throw new ObjectStoreError('OBJECT_EXISTS', `An object with key "${checked.key}" exists.`, {
        status: 409,
        retryable: false,
      });
    return { bucket, checked };
  }

  const issueUpload = ({ bucket, checked }: ReturnType<typeof checkUpload>) =>
    issue({ method: 'PUT', bucket, key: checked.key, upload: checked }, urlTtl());

  const api = {
    async get(key: string, call?: CallOptions & { cdn?: boolean }): Promise<ObjectReference | undefined> {
      await begin({ key, cdn: call?.cdn }, call);
      const request = parseBucketRequest({ key, cdn: call?.cdn });
      const stored = lookup(bucketOf(request.cdn), request.key);
      return stored && reference(stored);
    },

    async delete(key: string, call?: CallOptions & { cdn?: boolean }): Promise<void> {
      await begin({ key, cdn: call?.cdn }, call);
      const request = parseBucketRequest({ key, cdn: call?.cdn });
      buckets[bucketOf(request.cdn)].delete(request.key);
    },

    async createUploadUrl(body: UploadUrlBody, call?: CallOptions): Promise<PresignedUrlResponse> {
      await begin(body, call);
      return issueUpload(checkUpload(body));
    },

    /** Like the local store's batch route: 1–MAX_UPLOAD_URL_BATCH bodies, URLs in the same order, all or none. */
    async createUploadUrls(bodies: UploadUrlBody[], call?: CallOptions): Promise<PresignedUrlResponse[]> {
      if (!Array.isArray(bodies) || bodies.length === 0 || bodies.length > MAX_UPLOAD_URL_BATCH)
        throw new ObjectStoreError(
          'INVALID_INPUT',
          `uploads must be an array of 1 to ${MAX_UPLOAD_URL_BATCH} upload URL bodies.`,
          { status: 400, retryable: false },
        );
      await arrive(call);
      // Every body is checked before any URL is issued.
      const checked = bodies.map((body) => {
        assertPayloadSize(body);
        return checkUpload(body);
      });
      return checked.map(issueUpload);
    },

    async createDownloadUrl(
      key: string,
      call?: CallOptions & { cdn?: boolean },
    ): Promise<PresignedUrlResponse | undefined> {
      await begin({ key, cdn: call?.cdn }, call);
      const request = parseBucketRequest({ key, cdn: call?.cdn });
      const bucket = bucketOf(request.cdn);
      if (!lookup(bucket, request.key)) return undefined;
      return issue({ method: 'GET', bucket, key: request.key }, urlTtl());
    },

    async createCDNUrl(
      key: string,
      call?: CallOptions & { ttlSeconds?: number },
    ): Promise<PresignedUrlResponse | undefined> {
      await begin({ key, ttlSeconds: call?.ttlSeconds }, call);
      const request = parseCdnUrlRequest({ key, ttlSeconds: call?.ttlSeconds });
      if (!lookup('cdn', request.key)) return undefined;
      const ttl = request.ttlSeconds ?? PRESIGNED_URL_TTL_SECONDS;
      return issue({ method: 'GET', bucket: 'cdn', key: request.key, cacheSeconds: ttl }, ttl);
    },
  };

  /** The grant a URL names, or the 403 a real store would answer (tampered, expired, wrong method). */
  function authorize(url: string, method: 'PUT' | 'GET' | 'HEAD'): Grant {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw forbidden('SIGNATURE_INVALID', 'The URL is malformed.');
    }
    const [, bucket, token = ''] = parsed.pathname.split('/');
    const grant = grants.get(token);
    const expires = String(Math.floor((grant?.expiresAtMs ?? 0) / 1000));
    if (
      !grant ||
      parsed.host !== host ||
      bucket !== grant.bucket ||
      parsed.searchParams.get('key') !== grant.key ||
      parsed.searchParams.get('expires') !== expires ||
      (method === 'PUT') !== (grant.method === 'PUT')
    )
      throw forbidden('SIGNATURE_INVALID', 'The URL signature does not match.');
    if (grant.expiresAtMs <= now()) throw forbidden('URL_EXPIRED', 'The pre-signed URL has expired.');
    return grant;
  }

  function commit(grant: Grant, data: Blob, contentType: string | undefined): Stored {
    const body = grant.upload!;
    const at = now();
    const previous = lookup(grant.bucket, grant.key);
    const stored: Stored = {
      bucket: grant.bucket,
      key: grant.key,
      size: data.size,
      checksum: body.checksum,
      checksumType: body.checksumType,
      contentType: contentType || body.contentType || DEFAULT_CONTENT_TYPE,
      createdAt: previous?.createdAt ?? new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
      currentVersion: `${++versionCounter}.${randomToken().slice(0, 8)}`,
      data,
    };
    if (body.ttlSeconds !== undefined) {
      stored.expiresAtMs = at + body.ttlSeconds * 1000;
      stored.expiresAt = new Date(stored.expiresAtMs).toISOString();
    }
    buckets[grant.bucket].set(grant.key, stored);
    return stored;
  }

  function objects(): MemoryObject[] {
    const list: MemoryObject[] = [];
    for (const bucket of ['default', 'cdn'] as const)
      for (const key of [...buckets[bucket].keys()]) {
        const stored = lookup(bucket, key);
        if (!stored) continue;
        const { expiresAtMs: _, ...visible } = stored;
        list.push(visible);
      }
    return list;
  }

  function clear(): void {
    buckets.default.clear();
    buckets.cdn.clear();
    grants.clear();
  }

  return { host, api, authorize, lookup, commit, objects, clear, now };
}

export type MemoryStoreCore = ReturnType<typeof createMemoryStoreCore>;
