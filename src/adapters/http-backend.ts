import { abortError, ObjectStoreError } from '../core/errors';
import { errorFromResponse } from '../core/http-errors';
import type {
  BucketOptions,
  CdnUrlOptions,
  ObjectReference,
  ObjectStoreBackend,
  PresignedUrlResponse,
  RequestOptions,
  UploadUrlBody,
} from '../core/types';

export interface HttpBackendOptions {
  /** Where the server mounts the contract: requests go to `${baseUrl}/api/v1/…`. */
  baseUrl: string;
  /** Extra headers for every API call, or a function returning them (for short-lived auth tokens). */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Replaces the global `fetch` (tests, SSR polyfills). Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/**
 * A backend that speaks objectdrop's HTTP contract to the app's own server (or the local
 * object store). It asks for the *public* URL variants: a browser is outside the store's cloud.
 */
export function createHttpBackend(options: HttpBackendOptions): ObjectStoreBackend {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));

  async function call<T>(
    path: string,
    body: unknown,
    request: RequestOptions | undefined,
  ): Promise<T | undefined> {
    const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
    let response: Response;
    try {
      response = await fetchImpl(`${base}/api/v1/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...extra },
        body: JSON.stringify(body),
        signal: request?.signal,
      });
    } catch (cause) {
      if (request?.signal?.aborted) throw abortError(request.signal.reason);
      throw new ObjectStoreError('NETWORK', `Could not reach ${base}/api/v1/${path}.`, { cause });
    }
    if (response.status === 404) return undefined;
    if (response.status === 204) return undefined;
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers);
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new ObjectStoreError('BACKEND', `${path}: the server's answer is not JSON.`, { cause });
    }
  }

  async function required<T>(path: string, body: unknown, request: RequestOptions | undefined): Promise<T> {
    const result = await call<T>(path, body, request);
    if (result === undefined) throw new ObjectStoreError('NOT_FOUND', `${path}: not found.`, { status: 404 });
    return result;
  }

  return {
    createUploadUrl: (body: UploadUrlBody, request?: RequestOptions) =>
      required<PresignedUrlResponse>('public-upload-url', body, request),
    createUploadUrls: async (bodies: UploadUrlBody[], request?: RequestOptions) => {
      const answer = await required<{ urls?: unknown }>('public-upload-urls', { uploads: bodies }, request);
      if (!Array.isArray(answer.urls) || answer.urls.length !== bodies.length)
        throw new ObjectStoreError('BACKEND', `public-upload-urls: expected ${bodies.length} URLs.`);
      return answer.urls as PresignedUrlResponse[];
    },
    createDownloadUrl: (key: string, request?: BucketOptions) =>
      call<PresignedUrlResponse>('public-download-url', { key, cdn: request?.cdn }, request),
    get: (key: string, request?: BucketOptions) =>
      call<ObjectReference>('metadata', { key, cdn: request?.cdn }, request),
    delete: async (key: string, request?: BucketOptions) => {
      await call('delete', { key, cdn: request?.cdn }, request);
    },
    createCDNUrl: (key: string, request?: CdnUrlOptions) =>
      call<PresignedUrlResponse>('cdn-url', { key, ttlSeconds: request?.ttlSeconds }, request),
  };
}
