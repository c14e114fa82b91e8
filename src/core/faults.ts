/**
 * Failures a store can inject, for tests and demos: the local object store (`objectdrop serve
 * --admin`, `POST {base}/_admin/faults`) and the in-memory backend of `objectdrop/testing` take the
 * same names. All are off by default. "Requests" are API calls and the PUT/GET/HEAD of pre-signed URLs.
 */
export interface FaultSettings {
  /** Delay before answering every API and data request, in ms. */
  latencyMs?: number;
  /** Reset the connection once a PUT body goes past this many bytes (nothing is stored). */
  dropUploadAfterBytes?: number;
  /** Send exactly this many bytes of a GET body, then close: the client sees a short body. */
  dropDownloadAfterBytes?: number;
  /**
   * Send each GET body at most this many bytes per second, every connection on its own: a link where one
   * connection is slower than the client can write, and more connections fetch more.
   */
  downloadBytesPerSecond?: number;
  /** How many requests the drops hit before switching off. Default: unlimited. */
  dropCount?: number;
  /** Fraction (0..1) of API and data requests answered 503. */
  errorRate?: number;
  /** Fraction (0..1) of API and data requests answered 429 `TOO_MANY_REQUESTS`. */
  rateLimitRate?: number;
  /** `Retry-After` of injected 429s, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** New pre-signed URLs expire after this many seconds (instead of the 1-hour default). */
  urlTtlSeconds?: number;
  /** Flip one byte in every GET body (the headers still describe the real object). */
  corruptDownload?: boolean;
  /** Answer every GET with the whole object (200), as a server without Range support does. */
  ignoreRange?: boolean;
  /**
   * Answer pre-signed GETs with `Cache-Control: private, no-cache` instead of `no-store`, as a store that
   * lets caches keep objects does: Chromium then reads their bodies ahead of the reader into the page's
   * memory (measured by `npm run bench:download`).
   */
  cacheableDownloads?: boolean;
}

/** A patch of `FaultSettings`; `null` clears a field. */
export type FaultPatch = { [K in keyof FaultSettings]?: FaultSettings[K] | null };
