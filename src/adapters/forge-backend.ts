import { abortError, isObjectStoreError, ObjectStoreError } from '../core/errors';
import type { Transport } from '../core/transport/types';
import type {
  BucketOptions,
  CdnUrlOptions,
  ObjectReference,
  ObjectStoreBackend,
  PresignedUrlResponse,
  RequestOptions,
  UploadUrlBody,
} from '../core/types';
import {
  compact,
  DEFAULT_FORGE_FUNCTION_KEYS,
  errorFromData,
  type ForgeErrorData,
  type ForgeFunctionKeys,
} from './forge-functions';

/** `invoke` of `@forge/bridge`, or anything with its shape. */
export type ForgeInvoke = (functionKey: string, payload?: Record<string, unknown>) => Promise<unknown>;

export interface ForgeBackendOptions {
  /** `import { invoke } from '@forge/bridge'`, passed in so objectdrop never imports the bridge itself. */
  invoke: ForgeInvoke;
  /** Resolver function names, if the app registered them under other names. Default `objectdrop.*`. */
  functionKeys?: Partial<ForgeFunctionKeys>;
  /** Serves the URLs the resolvers hand out; only needed when they are not plain HTTPS (tests). */
  transport?: Transport;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fromErrorData(data: unknown, functionKey: string): ObjectStoreError {
  const record = isRecord(data) ? data : {};
  const status = typeof record.status === 'number' ? record.status : undefined;
  const message = typeof record.message === 'string' ? record.message : `${functionKey} failed.`;
  // Known codes keep their name; anything else is a BACKEND failure (retryable unless a 4xx says otherwise).
  const mapped = errorFromData(status, record.code, message);
  return new ObjectStoreError(mapped.code, mapped.message, {
    status,
    retryAfterSeconds: typeof record.retryAfterSeconds === 'number' ? record.retryAfterSeconds : undefined,
  });
}

/**
 * A backend for Forge Custom UI: every call goes through `invoke` to the resolvers that
 * `registerObjectStoreResolvers` defines (or the app's own, answering the same shapes), which
 * call `@forge/object-store` and hand back its *public* URLs. The browser then PUTs and GETs
 * those URLs directly, with progress, ranges and retries.
 */
export function createForgeBackend(options: ForgeBackendOptions): ObjectStoreBackend {
  const keys: ForgeFunctionKeys = { ...DEFAULT_FORGE_FUNCTION_KEYS, ...options.functionKeys };

  async function call<T>(
    functionKey: string,
    payload: Record<string, unknown>,
    request: RequestOptions | undefined,
  ): Promise<T | undefined> {
    const signal = request?.signal;
    if (signal?.aborted) throw abortError(signal.reason);
    let answer: unknown;
    try {
      const invoked = options.invoke(functionKey, compact(payload));
      // The bridge cannot cancel a call; we stop waiting for it, and its answer is dropped.
      answer = signal
        ? await new Promise((resolve, reject) => {
            const onAbort = () => reject(abortError(signal.reason));
            signal.addEventListener('abort', onAbort, { once: true });
            invoked.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
          })
        : await invoked;
    } catch (cause) {
      if (isObjectStoreError(cause)) throw cause;
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new ObjectStoreError('BACKEND', `${functionKey}: the Forge bridge failed: ${message}`, { cause });
    }
    if (answer === undefined || answer === null) return undefined;
    if (isRecord(answer) && 'error' in answer) throw fromErrorData(answer.error, functionKey);
    if (isRecord(answer) && 'result' in answer) return (answer.result ?? undefined) as T | undefined;
    // A hand-written resolver may return the SDK's answer as it is.
    return answer as T;
  }

  function presigned(value: unknown, functionKey: string): PresignedUrlResponse | undefined {
    if (value === undefined) return undefined;
    if (isRecord(value) && typeof value.url === 'string') return value as unknown as PresignedUrlResponse;
    throw new ObjectStoreError('BACKEND', `${functionKey} answered without a URL.`);
  }

  const backend: ObjectStoreBackend = {
    async createUploadUrl(body: UploadUrlBody, request?: RequestOptions) {
      const answer = await call(keys.createUploadUrl, { ...body }, request);
      const result = presigned(answer, keys.createUploadUrl);
      if (!result) throw new ObjectStoreError('BACKEND', `${keys.createUploadUrl} answered without a URL.`);
      return result;
    },
    async createUploadUrls(bodies: UploadUrlBody[], request?: RequestOptions) {
      let answer: unknown;
      try {
        answer = await call(
          keys.createUploadUrls,
          { uploads: bodies.map((body) => compact({ ...body })) },
          request,
        );
      } catch (error) {
        // An app's own resolvers may not define this function (the bridge then throws): the client
        // stops batching for good on an error that says retrying cannot help, and presigns one by one.
        if (isObjectStoreError(error) && error.status === undefined && error.code === 'BACKEND')
          throw new ObjectStoreError('BACKEND', error.message, { cause: error, retryable: false });
        throw error;
      }
      const urls = isRecord(answer) && Array.isArray(answer.urls) ? answer.urls : undefined;
      if (!urls || urls.length !== bodies.length)
        throw new ObjectStoreError('BACKEND', `${keys.createUploadUrls} did not answer one URL per body.`, {
          retryable: false,
        });
      return urls.map((url) => {
        const result = presigned(url, keys.createUploadUrls);
        if (!result)
          throw new ObjectStoreError('BACKEND', `${keys.createUploadUrls} answered without a URL.`);
        return result;
      });
    },
    async createDownloadUrl(key: string, request?: BucketOptions) {
      const answer = await call(keys.createDownloadUrl, { key, cdn: request?.cdn }, request);
      return presigned(answer, keys.createDownloadUrl);
    },
    get: (key: string, request?: BucketOptions) =>
      call<ObjectReference>(keys.get, { key, cdn: request?.cdn }, request),
    async delete(key: string, request?: BucketOptions) {
      await call(keys.delete, { key, cdn: request?.cdn }, request);
    },
    async createCDNUrl(key: string, request?: CdnUrlOptions) {
      const answer = await call(keys.createCDNUrl, { key, ttlSeconds: request?.ttlSeconds }, request);
      return presigned(answer, keys.createCDNUrl);
    },
  };
  return options.transport ? { ...backend, transport: options.transport } : backend;
}

export type { ForgeErrorData, ForgeFunctionKeys };
