/**
 * One HTTP exchange with a pre-signed URL. Uploads need progress events, which only
 * XMLHttpRequest gives in browsers; downloads need a streamed body, which only fetch gives.
 * Tests script every request through this interface (the tus-js-client `HttpStack` idea).
 */
export interface TransportRequest {
  method: 'GET' | 'HEAD' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: Blob;
  signal?: AbortSignal;
  /** Bytes of `body` handed to the network so far. Not proof the server has them. */
  onUploadProgress?: (loaded: number, total: number) => void;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** The body as a stream (GET). Null for HEAD, or once `text()` has been called. */
  body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

export interface Transport {
  /**
   * `send` is a plain `fetch` of the URL with the request's headers, so the same GET may be made from a
   * worker instead (a download into OPFS does, to keep bodies off the page). Unset for scripted or
   * in-memory transports.
   */
  readonly plainFetch?: boolean;
  /**
   * Resolves with any HTTP status (4xx/5xx included). Rejects with an `ObjectStoreError`
   * of code `NETWORK` when no response arrived, `ABORTED` when `signal` fired.
   */
  send(request: TransportRequest): Promise<TransportResponse>;
}
