import { abortError, ObjectStoreError } from '../errors';
import type { Transport, TransportRequest, TransportResponse } from './types';

/** Works wherever `fetch` exists (browsers, workers, Node 20). No upload progress until the end. */
export function createFetchTransport(fetchImpl?: typeof fetch): Transport {
  const call = fetchImpl ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  return {
    plainFetch: fetchImpl === undefined,
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (request.signal?.aborted) throw abortError(request.signal.reason);
      let response: Response;
      try {
        response = await call(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: request.signal,
          // Node's fetch needs it for a streamed body; a Blob body is sent whole either way.
          ...(request.body ? { duplex: 'half' } : {}),
        } as RequestInit);
      } catch (cause) {
        if (request.signal?.aborted) throw abortError(request.signal.reason);
        throw new ObjectStoreError('NETWORK', `${request.method} failed: no response from the server.`, {
          cause,
        });
      }
      if (request.body) request.onUploadProgress?.(request.body.size, request.body.size);
      return {
        status: response.status,
        headers: response.headers,
        body: response.body,
        text: () => response.text(),
      };
    },
  };
}
