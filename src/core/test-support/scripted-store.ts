// Test-only: a scripted in-memory store behind the Transport and backend interfaces, so unit tests
// can drive every answer the download engine must handle (drops, 200 for a Range, expiry, 429, changes).
import { createHash } from 'node:crypto';
import { DOWNLOAD_CACHE_CONTROL } from '../cache-control';
import { ObjectStoreError } from '../errors';
import type { TransportRequest, TransportResponse } from '../transport/types';
import type { ObjectReference, ObjectStoreBackend } from '../types';

export interface StoredObject {
  bytes: Uint8Array;
  etag: string;
}

/** A per-request override: return a response to answer with it, or undefined for the normal answer. */
export type Script = (
  request: TransportRequest,
  store: ScriptedStore,
  index: number,
) => TransportResponse | Promise<TransportResponse | undefined> | undefined;

export interface RecordedRequest {
  url: string;
  range: string | undefined;
  ifRange: string | undefined;
  signal: AbortSignal | undefined;
}

export function patternBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** A body that hands out `chunkSize` pieces and, if asked, fails after `dropAfter` bytes like a cut connection. */
export function streamOf(
  bytes: Uint8Array,
  options: {
    chunkSize?: number;
    dropAfter?: number;
    onPull?: (sent: number) => void;
    signal?: AbortSignal;
  } = {},
): ReadableStream<Uint8Array> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (options.signal?.aborted) {
        controller.error(options.signal.reason);
        return;
      }
      if (options.dropAfter !== undefined && sent >= options.dropAfter) {
        controller.error(new TypeError('network error'));
        return;
      }
      if (sent >= bytes.byteLength) {
        controller.close();
        return;
      }
      const limit =
        options.dropAfter === undefined ? bytes.byteLength : Math.min(bytes.byteLength, options.dropAfter);
      const chunk = bytes.slice(sent, Math.min(limit, sent + chunkSize));
      sent += chunk.byteLength;
      options.onPull?.(sent);
      controller.enqueue(chunk);
    },
  });
}

function response(status: number, headers: Record<string, string>, body: ReadableStream<Uint8Array> | null) {
  return {
    status,
    headers: new Headers(headers),
    body,
    text: async () => (body ? new Response(body).text() : ''),
  };
}

export function jsonError(
  status: number,
  code: string,
  extra: Record<string, string> = {},
): TransportResponse {
  const body = new Response(JSON.stringify({ code, message: code })).body;
  return response(status, { 'content-type': 'application/json', ...extra }, body);
}

export class ScriptedStore {
  object: StoredObject;
  checksum: string;
  readonly requests: RecordedRequest[] = [];
  /** Bytes the store put on the wire (what a drop cost included). */
  bytesSent = 0;
  open = 0;
  maxOpen = 0;
  urlGeneration = 0;
  /** URLs of a generation below this answer 403 URL_EXPIRED. */
  expiredBefore = 0;
  ignoreRange = false;
  /** Of every GET answer, as the local store sends it. */
  cacheControl = DOWNLOAD_CACHE_CONTROL;
  chunkSize = 64 * 1024;
  scripts: Script[] = [];
  urlCalls = 0;

  constructor(bytes: Uint8Array, etag = '"v1"') {
    this.object = { bytes, etag };
    this.checksum = sha256Base64(bytes);
  }

  replace(bytes: Uint8Array, etag: string): void {
    this.object = { bytes, etag };
    this.checksum = sha256Base64(bytes);
  }

  backend(): ObjectStoreBackend {
    return {
      get: async (key): Promise<ObjectReference> => ({
        key,
        size: this.object.bytes.byteLength,
        checksum: this.checksum,
        checksumType: 'SHA256',
        contentType: 'application/x-test',
      }),
      createDownloadUrl: async (key) => {
        this.urlCalls++;
        return { url: `mem://store/${key}?g=${++this.urlGeneration}` };
      },
      createUploadUrl: async () => {
        throw new ObjectStoreError('BACKEND', 'not scripted');
      },
      delete: async () => {},
    };
  }

  transport() {
    return { send: (request: TransportRequest) => this.send(request) };
  }

  private async send(request: TransportRequest): Promise<TransportResponse> {
    const index = this.requests.length;
    this.requests.push({
      url: request.url,
      range: request.headers?.range,
      ifRange: request.headers?.['if-range'],
      signal: request.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (request.signal?.aborted) throw new ObjectStoreError('ABORTED', 'aborted');
    for (const script of this.scripts) {
      const scripted = await script(request, this, index);
      if (scripted) return scripted;
    }
    const generation = Number(new URL(request.url).searchParams.get('g'));
    if (generation < this.expiredBefore) return jsonError(403, 'URL_EXPIRED');
    return this.serve(request);
  }

  /** The normal answer, with RFC 9110 Range and If-Range semantics. */
  serve(request: TransportRequest, options: { dropAfter?: number; flip?: number } = {}): TransportResponse {
    const { bytes, etag } = this.object;
    const size = bytes.byteLength;
    const ifRange = request.headers?.['if-range'];
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers?.range ?? '');
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (match && !this.ignoreRange && (ifRange === undefined || ifRange === etag)) {
      start = Number(match[1]);
      end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
      if (start >= size) return response(416, { 'content-range': `bytes */${size}` }, null);
      status = 206;
    }
    let slice = bytes.slice(start, end + 1);
    if (options.flip !== undefined && options.flip >= start && options.flip <= end) {
      slice = slice.slice();
      slice[options.flip - start]! ^= 0xff;
    }
    const headers: Record<string, string> = {
      etag,
      'content-length': String(slice.byteLength),
      'cache-control': this.cacheControl,
    };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    let closed = false;
    const close = () => {
      if (!closed) this.open--;
      closed = true;
    };
    request.signal?.addEventListener('abort', close, { once: true });
    let counted = 0;
    const inner = streamOf(slice, {
      chunkSize: this.chunkSize,
      dropAfter: options.dropAfter,
      signal: request.signal,
      onPull: (sent) => {
        this.bytesSent += sent - counted;
        counted = sent;
      },
    });
    const reader = inner.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            close();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel(reason) {
        close();
        return reader.cancel(reason);
      },
    });
    return response(status, headers, body);
  }
}
