import { createHash } from 'node:crypto';
import { ObjectStoreError } from '../errors';
import type { ObjectReference, ObjectStoreBackend, UploadUrlBody } from '../types';
import type { ScriptedRequest } from './scripted-transport';

type Method = 'createUploadUrl' | 'get' | 'delete' | 'createDownloadUrl';

/** SHA-1/SHA-256 by node:crypto: the tests' stand-in for the worker pool. */
export async function nodeHasher(blob: Blob, type: string, options?: { signal?: AbortSignal }) {
  const algorithm = type === 'SHA1' ? 'sha1' : 'sha256';
  const bytes = new Uint8Array(await blob.arrayBuffer());
  options?.signal?.throwIfAborted();
  return createHash(algorithm).update(bytes).digest('base64');
}

/**
 * A store in memory for unit tests: the backend hands out `https://store.test/put/<n>` URLs and
 * `serve` plays the PUT side of them (checks length and checksum like the real store).
 */
export function createFakeBackend() {
  const objects = new Map<string, ObjectReference>();
  const issued = new Map<string, UploadUrlBody>();
  const expired = new Set<string>();
  const presigns: UploadUrlBody[] = [];
  const calls: Array<{ method: Method; key: string }> = [];
  const failures: Partial<Record<Method, unknown[]>> = {};
  let nextUrl = 0;

  function failure(method: Method, key: string): void {
    calls.push({ method, key });
    const queued = failures[method]?.shift();
    if (queued !== undefined) throw queued;
  }

  const backend: ObjectStoreBackend = {
    async createUploadUrl(body) {
      failure('createUploadUrl', body.key);
      presigns.push(body);
      nextUrl += 1;
      const url = `https://store.test/put/${nextUrl}`;
      issued.set(url, body);
      return { url };
    },
    async get(key) {
      failure('get', key);
      return objects.get(key);
    },
    async delete(key) {
      failure('delete', key);
      objects.delete(key);
    },
    async createDownloadUrl(key) {
      failure('createDownloadUrl', key);
      return objects.has(key) ? { url: `https://store.test/get/${encodeURIComponent(key)}` } : undefined;
    },
  };

  return {
    backend,
    objects,
    presigns,
    calls,
    /** The next call of `method` throws `error` (queue several by calling again). */
    failNext(method: Method, error: unknown) {
      failures[method] = [...(failures[method] ?? []), error];
    },
    /** Makes the URL of this request answer 403 URL_EXPIRED from now on. */
    expire(url: string) {
      expired.add(url);
    },
    /** Answers a scripted PUT as the store would. */
    async serve(request: ScriptedRequest) {
      const body = issued.get(request.url);
      if (!body)
        return request.respond(403, JSON.stringify({ code: 'SIGNATURE_INVALID', message: 'unknown URL' }));
      if (expired.has(request.url))
        return request.respond(403, JSON.stringify({ code: 'URL_EXPIRED', message: 'expired' }));
      const bytes = new Uint8Array(await request.body!.arrayBuffer());
      if (request.aborted) return;
      const checksum = createHash(body.checksumType === 'SHA1' ? 'sha1' : 'sha256')
        .update(bytes)
        .digest('base64');
      if (bytes.length !== body.length)
        return request.respond(400, JSON.stringify({ code: 'LENGTH_MISMATCH', message: 'length' }));
      if (checksum !== body.checksum)
        return request.respond(400, JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'checksum' }));
      request.progress(bytes.length);
      objects.set(body.key, {
        key: body.key,
        checksum,
        size: bytes.length,
        checksumType: body.checksumType,
        contentType: request.headers?.['content-type'],
      });
      request.respond(200);
    },
  };
}

export function storeError(code: ConstructorParameters<typeof ObjectStoreError>[0], status: number) {
  return new ObjectStoreError(code, code, { status });
}
