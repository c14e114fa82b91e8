import { bytesToBase64 } from '../checksum/encoding';
import { createHasher } from '../checksum/hashers';
import { downloadCacheControl } from '../core/cache-control';
import { abortError, ObjectStoreError, type ObjectStoreErrorCode } from '../core/errors';
import type { Transport, TransportRequest, TransportResponse } from '../core/transport/types';
import { parseRange } from '../server/range';
import type { FaultState } from './faults';
import type { Grant, MemoryStoreCore } from './memory-store';

const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;

/** About twenty progress steps per body, within bounds that keep big bodies cheap. */
function chunkSizeFor(size: number): number {
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(size / 20)));
}

function header(request: TransportRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
}

function toTransportResponse(response: Response): TransportResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: response.body,
    text: () => response.text(),
  };
}

function errorResponse(error: ObjectStoreError): TransportResponse {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (error.retryAfterSeconds !== undefined) headers.set('retry-after', String(error.retryAfterSeconds));
  const body = JSON.stringify({ code: error.code, message: error.message });
  return toTransportResponse(new Response(body, { status: error.status ?? 500, headers }));
}

function fail(code: ObjectStoreErrorCode, status: number, message: string): ObjectStoreError {
  return new ObjectStoreError(code, message, { status });
}

/**
 * Serves the `memory://` URLs of one in-memory store, with real `Response`, `Headers` and
 * `ReadableStream` objects, so code written against fetch/XHR answers behaves the same here.
 */
export function createMemoryTransport(core: MemoryStoreCore, faults: FaultState): Transport {
  async function put(grant: Grant, request: TransportRequest): Promise<TransportResponse> {
    const upload = grant.upload!;
    const body = request.body ?? new Blob([]);
    const size = body.size;
    if (size !== upload.length)
      throw fail(
        'LENGTH_MISMATCH',
        400,
        `The body has ${size} bytes; the URL was signed for ${upload.length}.`,
      );
    const dropAt = faults.takeDrop(faults.current.dropUploadAfterBytes, size);
    const corrupt = faults.current.corruptUpload === true;
    const hasher = await createHasher(upload.checksumType);
    const chunk = chunkSizeFor(size);
    const steps = Math.max(1, Math.ceil(size / chunk));
    const limit = dropAt ?? size;
    let offset = 0;
    while (offset < limit) {
      const end = Math.min(limit, offset + chunk);
      const bytes = new Uint8Array(await body.slice(offset, end).arrayBuffer());
      if (corrupt && offset === 0) bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      hasher.update(bytes);
      await faults.latency(request.signal, faults.uploadStepDelay(bytes.length, steps));
      offset = end;
      request.onUploadProgress?.(offset, size);
    }
    if (dropAt !== undefined)
      throw new ObjectStoreError('NETWORK', `Injected fault: the connection dropped after ${dropAt} bytes.`);
    if (size === 0) request.onUploadProgress?.(0, 0);
    // The server's answer comes a round trip after the last byte left: the client's "finalizing".
    await faults.latency(request.signal);
    if (corrupt || bytesToBase64(hasher.digest()) !== upload.checksum)
      throw fail(
        'CHECKSUM_MISMATCH',
        400,
        `The body's ${upload.checksumType} does not match the signed one.`,
      );
    if (upload.overwrite === false && core.lookup(grant.bucket, grant.key))
      throw fail('OBJECT_EXISTS', 409, `An object with key "${grant.key}" exists.`);
    const stored = core.commit(grant, body, header(request, 'content-type'));
    const headers = new Headers({ etag: `"${stored.currentVersion}"` });
    return toTransportResponse(new Response(null, { status: 200, headers }));
  }

  function get(grant: Grant, request: TransportRequest): TransportResponse {
    const stored = core.lookup(grant.bucket, grant.key);
    if (!stored) throw fail('NOT_FOUND', 404, `No object with key "${grant.key}".`);
    const size = stored.size;
    const etag = `"${stored.currentVersion}"`;
    const lastModified = new Date(stored.updatedAt).toUTCString();
    const headers = new Headers({
      'accept-ranges': faults.current.ignoreRange ? 'none' : 'bytes',
      etag,
      'last-modified': lastModified,
      'content-type': stored.contentType,
    });
    headers.set('cache-control', downloadCacheControl(grant.cacheSeconds, faults.current));

    const rangeHeader = header(request, 'range');
    const ifRange = header(request, 'if-range');
    const rangeApplies =
      rangeHeader !== undefined &&
      !faults.current.ignoreRange &&
      (!ifRange || ifRange === etag || ifRange === lastModified);
    const asked = rangeApplies ? parseRange(rangeHeader, size) : undefined;
    if (asked?.kind === 'unsatisfiable') {
      headers.set('content-range', `bytes */${size}`);
      return errorResponseWith(fail('INVALID_REQUEST', 416, 'The range is not satisfiable.'), headers);
    }
    const range = asked?.kind === 'partial' ? asked : undefined;
    const start = range?.start ?? 0;
    const end = range ? range.end + 1 : size;
    if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
    headers.set('content-length', String(end - start));
    const status = range ? 206 : 200;
    if (request.method === 'HEAD') return toTransportResponse(new Response(null, { status, headers }));
    const stream = bodyStream(stored.data, start, end, request.signal);
    return toTransportResponse(new Response(stream, { status, headers }));
  }

  function errorResponseWith(error: ObjectStoreError, extra: Headers): TransportResponse {
    const response = errorResponse(error);
    extra.forEach((value, name) => {
      response.headers.set(name, value);
    });
    return response;
  }

  /** Bytes `start..end` of `data`, paced by the bandwidth fault, cut or corrupted as the faults say. */
  function bodyStream(
    data: Blob,
    start: number,
    end: number,
    signal?: AbortSignal,
  ): ReadableStream<Uint8Array> {
    const length = end - start;
    const dropAt = faults.takeDrop(faults.current.dropDownloadAfterBytes, length);
    const flipAt = faults.current.corruptDownload ? Math.floor(data.size / 2) : -1;
    const chunk = chunkSizeFor(length);
    let offset = start;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (signal?.aborted) throw abortError(signal.reason);
          const limit = dropAt === undefined ? end : start + dropAt;
          if (offset >= limit) {
            if (dropAt === undefined) controller.close();
            else
              controller.error(
                new ObjectStoreError(
                  'NETWORK',
                  `Injected fault: the connection dropped after ${dropAt} bytes.`,
                ),
              );
            return;
          }
          const next = Math.min(limit, offset + chunk);
          const bytes = new Uint8Array(await data.slice(offset, next).arrayBuffer());
          if (flipAt >= offset && flipAt < next)
            bytes[flipAt - offset] = (bytes[flipAt - offset] ?? 0) ^ 0xff;
          await faults.latency(signal, faults.downloadDelay(bytes.length));
          offset = next;
          controller.enqueue(bytes);
        } catch (error) {
          controller.error(error);
        }
      },
    });
  }

  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (request.signal?.aborted) throw abortError(request.signal.reason);
      if (!request.url.startsWith(`memory://${core.host}/`))
        throw new ObjectStoreError('NETWORK', `No in-memory store serves ${request.url}.`);
      await faults.latency(request.signal);
      try {
        const injected = faults.rollFailure();
        if (injected) throw injected;
        const grant = core.authorize(request.url, request.method);
        return request.method === 'PUT' ? await put(grant, request) : get(grant, request);
      } catch (error) {
        // Failures the store would answer are responses; a drop or an abort is no response at all.
        if (error instanceof ObjectStoreError && error.status !== undefined) return errorResponse(error);
        throw error;
      }
    },
  };
}
