import { abortError, ObjectStoreError } from '../errors';
import { createFetchTransport } from './fetch-transport';
import type { Transport, TransportRequest, TransportResponse } from './types';

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}

function sendWithXhr(request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(abortError(request.signal.reason));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers ?? {})) xhr.setRequestHeader(name, value);
    const onAbort = () => xhr.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => request.signal?.removeEventListener('abort', onAbort);
    if (request.onUploadProgress && request.body) {
      const progress = request.onUploadProgress;
      xhr.upload.onprogress = (event) => progress(event.loaded, event.total || request.body!.size);
    }
    xhr.onload = () => {
      settle();
      const text = xhr.responseText;
      resolve({
        status: xhr.status,
        headers: parseHeaders(xhr.getAllResponseHeaders()),
        body: null,
        text: async () => text,
      });
    };
    xhr.onerror = () => {
      settle();
      reject(new ObjectStoreError('NETWORK', `${request.method} failed: the connection was lost.`));
    };
    xhr.ontimeout = () => {
      settle();
      reject(new ObjectStoreError('TIMEOUT', `${request.method} timed out.`));
    };
    xhr.onabort = () => {
      settle();
      reject(abortError(request.signal?.reason));
    };
    xhr.send(request.body ?? null);
  });
}

/**
 * Uploads by XMLHttpRequest (the only browser API with upload progress); everything else,
 * and everything where XHR does not exist (Node, service workers), by fetch.
 */
export function createDefaultTransport(): Transport {
  const viaFetch = createFetchTransport();
  return {
    plainFetch: true,
    send(request) {
      if (request.method === 'PUT' && typeof XMLHttpRequest !== 'undefined') return sendWithXhr(request);
      return viaFetch.send(request);
    },
  };
}
