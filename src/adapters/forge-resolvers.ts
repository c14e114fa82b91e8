import { isObjectStoreError, ObjectStoreError } from '../core/errors';
import { MAX_UPLOAD_URL_BATCH } from '../core/limits';
import {
  assertPayloadSize,
  invalidRequest,
  parseBucketRequest,
  parseCdnUrlRequest,
  parseUploadUrlBody,
} from '../core/request-validation';
import type { ObjectReference, PresignedUrlResponse, UploadUrlBody } from '../core/types';
import {
  compact,
  DEFAULT_FORGE_FUNCTION_KEYS,
  errorFromData,
  type ForgeErrorData,
  type ForgeFunctionKeys,
  type ForgeResolverResult,
} from './forge-functions';

/** The invocation context Forge passes to a resolver (`accountId`, `cloudId`, `installContext`…). */
export type ForgeResolverContext = Record<string, unknown>;

export interface ForgeResolverRequest {
  payload: unknown;
  context: ForgeResolverContext;
}

/** A `Resolver` of `@forge/resolver`, or anything with its `define`. */
export interface ForgeResolverLike {
  define(functionKey: string, fn: (request: ForgeResolverRequest) => Promise<object>): unknown;
}

/**
 * The calls of `@forge/object-store` the resolvers make (its default export has them; so do the
 * local and in-memory stores of objectdrop).
 */
export interface ForgeObjectStoreLike {
  get(key: string, options?: { cdn?: boolean }): Promise<ObjectReference | undefined>;
  delete(key: string, options?: { cdn?: boolean }): Promise<void>;
  createUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse | undefined>;
  createPublicUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse | undefined>;
  createDownloadUrl(key: string, options?: { cdn?: boolean }): Promise<PresignedUrlResponse | undefined>;
  createPublicDownloadUrl(
    key: string,
    options?: { cdn?: boolean },
  ): Promise<PresignedUrlResponse | undefined>;
  createCDNUrl?(key: string, options?: { ttlSeconds?: number }): Promise<PresignedUrlResponse | undefined>;
}

/** What a resolver is about to do, for `authorize`. */
export type ForgeObjectStoreOperation = 'upload' | 'download' | 'get' | 'delete' | 'cdn';

export interface ObjectStoreResolverOptions {
  /** `import fos from '@forge/object-store'`, or any store with the same calls. */
  store: ForgeObjectStoreLike;
  /**
   * Decides whether the caller (Forge's `context`: `accountId`, `installContext`…) may do
   * `operation` on `key`. Return `false` (or throw) to refuse with `FORBIDDEN`. Default: allow
   * everything — any user of the app can then read and overwrite any key, so most apps want one.
   */
  authorize?(
    context: ForgeResolverContext,
    key: string,
    operation: ForgeObjectStoreOperation,
    payload: Record<string, unknown>,
  ): boolean | Promise<boolean>;
  /**
   * Hand out the store's public URL variants (`createPublicUploadUrl`…) instead of the ones Forge
   * documents for "frontend integration via the objectStore bridge" (`createUploadUrl`…). Turn it on
   * when the URLs are used outside Atlassian's cloud and its Custom UI (a remote, a CLI). Default `false`.
   */
  publicUrls?: boolean;
  /** Names to register the functions under. Default `objectdrop.*`, as `createForgeBackend` expects. */
  functionKeys?: Partial<ForgeFunctionKeys>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Errors become data the page can rebuild. `@forge/object-store` throws errors carrying `code` and
 * `responseDetails.status` (429 as `RATE_LIMIT_EXCEEDED`); objectdrop's stores throw `ObjectStoreError`.
 */
export function toForgeErrorData(error: unknown): ForgeErrorData {
  if (isObjectStoreError(error))
    return compact({
      code: error.code,
      message: error.message,
      status: error.status,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  const record = isRecord(error) ? error : {};
  const details = isRecord(record.responseDetails) ? record.responseDetails : {};
  const status = typeof details.status === 'number' ? details.status : undefined;
  const message = typeof record.message === 'string' ? record.message : 'The object store call failed.';
  if (status === 429 || record.code === 'RATE_LIMIT_EXCEEDED')
    return { code: 'TOO_MANY_REQUESTS', message, status: 429 };
  const mapped = errorFromData(status, record.code, message);
  return compact({ code: mapped.code, message, status });
}

function forbidden(message: string): ObjectStoreError {
  return new ObjectStoreError('FORBIDDEN', message, { status: 403, retryable: false });
}

/**
 * Defines the resolver functions `createForgeBackend` invokes on a Forge `Resolver` (with
 * `createUploadUrls`, several upload URLs per invocation). Each one checks
 * the payload (1 kB limit, field by field), asks `authorize`, calls the store, and returns
 * `{ result }` or `{ error: { code, message, status?, retryAfterSeconds? } }`: never throws.
 */
export function registerObjectStoreResolvers<R extends ForgeResolverLike>(
  resolver: R,
  options: ObjectStoreResolverOptions,
): R {
  const keys: ForgeFunctionKeys = { ...DEFAULT_FORGE_FUNCTION_KEYS, ...options.functionKeys };
  const { store } = options;
  const uploadUrl = (body: UploadUrlBody) =>
    options.publicUrls ? store.createPublicUploadUrl(body) : store.createUploadUrl(body);
  const downloadUrl = (key: string, o: { cdn?: boolean }) =>
    options.publicUrls ? store.createPublicDownloadUrl(key, o) : store.createDownloadUrl(key, o);

  async function authorized(
    context: ForgeResolverContext,
    key: string,
    operation: ForgeObjectStoreOperation,
    payload: Record<string, unknown>,
  ): Promise<void> {
    if (!options.authorize) return;
    let allowed: boolean;
    try {
      allowed = await options.authorize(context, key, operation, payload);
    } catch (cause) {
      if (isObjectStoreError(cause)) throw cause;
      throw forbidden(cause instanceof Error ? cause.message : `Not allowed to ${operation} this object.`);
    }
    if (allowed !== true) throw forbidden(`Not allowed to ${operation} "${key}".`);
  }

  async function createUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse> {
    // The seed's UploadUrlBody has no contentType: Forge keeps the PUT's Content-Type header instead.
    const { contentType: _, ...seedBody } = body;
    const url = await uploadUrl(seedBody);
    if (!url) throw new ObjectStoreError('BACKEND', 'The object store gave no upload URL.', { status: 502 });
    return url;
  }

  function define<P extends { key: string }, T>(
    functionKey: string,
    operation: ForgeObjectStoreOperation,
    parse: (payload: unknown) => P,
    run: (payload: P) => Promise<T | undefined>,
  ): void {
    resolver.define(functionKey, async ({ payload, context }): Promise<ForgeResolverResult<T>> => {
      try {
        assertPayloadSize(payload ?? {});
        const parsed = parse(payload);
        await authorized(context ?? {}, parsed.key, operation, { ...parsed });
        return { result: (await run(parsed)) ?? null };
      } catch (error) {
        return { error: toForgeErrorData(error) };
      }
    });
  }

  define(keys.createUploadUrl, 'upload', parseUploadUrlBody, createUploadUrl);
  // `{ uploads: UploadUrlBody[] }` → `{ urls }`: each body checked, authorized and presigned as the
  // single call does (one store call each, within its 1 kB limit), all or none.
  resolver.define(keys.createUploadUrls, async ({ payload, context }) => {
    try {
      const uploads = isRecord(payload) ? payload.uploads : undefined;
      if (!Array.isArray(uploads) || uploads.length === 0 || uploads.length > MAX_UPLOAD_URL_BATCH)
        throw invalidRequest(
          'uploads',
          `must be an array of 1 to ${MAX_UPLOAD_URL_BATCH} upload URL bodies.`,
        );
      const bodies = uploads.map((upload) => {
        assertPayloadSize(upload ?? {});
        return parseUploadUrlBody(upload);
      });
      for (const body of bodies) await authorized(context ?? {}, body.key, 'upload', { ...body });
      return { result: { urls: await Promise.all(bodies.map(createUploadUrl)) } };
    } catch (error) {
      return { error: toForgeErrorData(error) };
    }
  });
  define(keys.createDownloadUrl, 'download', parseBucketRequest, ({ key, cdn }) =>
    downloadUrl(key, compact({ cdn })),
  );
  define(keys.get, 'get', parseBucketRequest, ({ key, cdn }) => store.get(key, compact({ cdn })));
  define(keys.delete, 'delete', parseBucketRequest, async ({ key, cdn }) => {
    await store.delete(key, compact({ cdn }));
    return undefined;
  });
  define(keys.createCDNUrl, 'cdn', parseCdnUrlRequest, ({ key, ttlSeconds }) => {
    if (!store.createCDNUrl)
      throw new ObjectStoreError('BACKEND', 'This object store has no CDN URLs.', { status: 501 });
    return store.createCDNUrl(key, compact({ ttlSeconds }));
  });
  return resolver;
}
