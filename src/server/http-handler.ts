import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadCacheControl } from '../core/cache-control';
import { isObjectStoreError, ObjectStoreError } from '../core/errors';
import { MAX_UPLOAD_URL_BATCH } from '../core/limits';
import { invalidRequest, parseBucketRequest, parseCdnUrlRequest } from '../core/request-validation';
import { clientWentAway } from './client-gone';
import { createFaultController, type FaultController } from './faults';
import { DEFAULT_STORE_LIMITS, type StoreLimits } from './limits';
import type { LocalObjectStore, OpenedObject } from './local-store';
import { parseRange } from './range';
import { createRateLimiter } from './rate-limit';
import type { ObjectStore } from './store';
import { checkUploadRequest } from './validate';

/** The demo page's origins (`npm start`). */
export const DEFAULT_CORS_ORIGINS: readonly string[] = ['http://127.0.0.1:5173', 'http://localhost:5173'];

export interface ObjectStoreHandlerOptions {
  /** Origins allowed to call the API and the URLs; `'*'` allows any. Default: the demo's origins. */
  corsOrigins?: readonly string[];
  /** Serve `GET|POST /_admin/faults` and `POST /_admin/reset`. Never enable in production. Default `false`. */
  admin?: boolean;
  /** Limits the handler enforces. Default: the store's own (`store.limits`), else the documented ones. */
  limits?: Partial<StoreLimits>;
  /** Fault injection. Default: the store's controller (`store.faults`), else a fresh one. */
  faults?: FaultController;
  /** Clock for the rate limits, epoch ms. Default: the store's `now`, else `Date.now`. */
  now?: () => number;
  /**
   * Isolated stores for parallel tests (admin only): `POST /_admin/sandbox` creates one and
   * answers `{ url }`; it is served under `/sandbox/<id>/` with its own objects, faults and limits.
   * `startLocalObjectStore` provides this; leave it out elsewhere.
   */
  sandboxes?: SandboxRegistry;
}

export interface SandboxRegistry {
  /** Creates an isolated store and returns its id (`[a-z0-9]+`). */
  create(): Promise<string>;
  /** The handler serving sandbox `id` at its root, if it exists. */
  get(id: string): ObjectStoreHandler | undefined;
}

/**
 * A node:http request listener, also an Express/Connect middleware: requests it does not serve
 * go to `next` (or get a 404 without one). Mount it where the store's `baseUrl` points, best
 * before any body parser: it reads the API bodies itself, to enforce the size limit before
 * parsing (after `express.json()` it falls back to `req.body`). Never put a body parser in front
 * of the `/objects/` PUT URLs: the handler streams those bodies to disk.
 */
export type ObjectStoreHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

const API_PREFIX = '/api/v1/';
const PRESIGN_PATHS: ReadonlySet<string> = new Set([
  'upload-url',
  'public-upload-url',
  'download-url',
  'public-download-url',
  'cdn-url',
]);
/** Several upload URLs in one request: `{ uploads: UploadUrlBody[] }` → `{ urls: PresignedUrlResponse[] }`. */
const BATCH_PATHS: ReadonlyMap<string, 'upload-url' | 'public-upload-url'> = new Map([
  ['upload-urls', 'upload-url'],
  ['public-upload-urls', 'public-upload-url'],
]);
const EXPOSED_HEADERS =
  'ETag, Content-Range, Content-Length, Accept-Ranges, Retry-After, Last-Modified, Content-Type';
const ADMIN_BODY_LIMIT = 16 * 1024;

function isLocalStore(store: ObjectStore): store is LocalObjectStore {
  return typeof (store as Partial<LocalObjectStore>).authorize === 'function';
}

function statusOf(error: ObjectStoreError): number {
  if (error.status) return error.status;
  switch (error.code) {
    case 'NOT_FOUND':
      return 404;
    case 'OBJECT_EXISTS':
      return 409;
    case 'SIGNATURE_INVALID':
    case 'URL_EXPIRED':
      return 403;
    case 'PAYLOAD_TOO_LARGE':
    case 'OBJECT_TOO_LARGE':
      return 413;
    case 'TOO_MANY_REQUESTS':
      return 429;
    case 'OBJECT_CHANGED':
      return 412;
    default:
      return error.code === 'BACKEND' ? 502 : 400;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (isObjectStoreError(error)) {
    const headers: Record<string, string> =
      error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    sendJson(res, statusOf(error), { code: error.code, message: error.message }, headers);
    return;
  }
  console.error('objectdrop store: unexpected error', error);
  sendJson(res, 500, { code: 'INTERNAL_ERROR', message: 'The store failed; see its log.' });
}

/** Reads a JSON body, refusing more than `max` bytes before parsing anything. */
async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const tooLarge = () =>
    new ObjectStoreError('PAYLOAD_TOO_LARGE', `The request body exceeds ${max} bytes.`, { status: 413 });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  // Mounted after a body parser (express.json()), the stream is already consumed: use its result.
  const parsed = (req as { body?: unknown }).body;
  if (req.readableEnded && parsed !== undefined) {
    if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) return parseJson(parsed.toString());
    if (Buffer.byteLength(JSON.stringify(parsed)) > max) throw tooLarge();
    return parsed;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

function parseJson(text: string): unknown {
  if (!text.trim()) throw invalidRequest('body', 'is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('body', 'is not valid JSON.');
  }
}

function asRecord(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidRequest('body', 'must be a JSON object.');
  return body as Record<string, unknown>;
}

/**
 * The HTTP face of an `ObjectStore`:
 * - `POST /api/v1/metadata | delete | upload-url | public-upload-url | download-url |
 *   public-download-url | cdn-url` with JSON bodies of at most `maxRequestBytes` (checked before
 *   parsing), rate-limited per `X-Installation-Id`; errors are `{ code, message }`.
 * - `POST /api/v1/upload-urls | public-upload-urls` with `{ uploads: UploadUrlBody[] }` (1 to
 *   `MAX_UPLOAD_URL_BATCH`, each at most `maxRequestBytes`) → `{ urls }` in the same order, all or none.
 * - For the local store, its pre-signed URLs under `/objects/<bucket>`: `PUT` (streamed to disk,
 *   length and checksum verified), `GET`/`HEAD` with `ETag`, `Last-Modified`, `Accept-Ranges`,
 *   one `Range` (`a-b`, `a-`, `-n`) → 206, unsatisfiable → 416, `If-Range`, `If-Match` (412),
 *   `If-None-Match` (304). A header with several ranges gets 200 and the whole body.
 * - With `admin: true`, `GET|POST /_admin/faults`, `POST /_admin/reset` and `GET /_admin/downloads`
 *   (object GETs still open, the most open at once and the `Range` of each one since the last reset), never
 *   faulted.
 * CORS answers preflights for the configured origins and exposes `ETag`, `Content-Range`,
 * `Content-Length`, `Accept-Ranges` and `Retry-After`.
 */
export function createObjectStoreHandler(
  store: ObjectStore,
  options: ObjectStoreHandlerOptions = {},
): ObjectStoreHandler {
  const local = isLocalStore(store) ? store : undefined;
  const limits: StoreLimits = { ...DEFAULT_STORE_LIMITS, ...local?.limits, ...options.limits };
  const faults = options.faults ?? local?.faults ?? createFaultController();
  const now = options.now ?? local?.now ?? Date.now;
  const origins = new Set(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const perMinute = createRateLimiter(60_000, limits.requestsPerMinute);
  const perSecond = createRateLimiter(1000, limits.presignsPerSecond);
  /** What tests ask of object GETs: requests a worker made are invisible to the page that started them. */
  const downloads = { open: 0, mostOpen: 0, ranges: [] as string[] };
  const MAX_RANGES_KEPT = 10_000;

  function trackDownload(req: IncomingMessage, res: ServerResponse): void {
    if (downloads.ranges.length >= MAX_RANGES_KEPT) downloads.ranges.shift();
    downloads.ranges.push(req.headers.range ?? '');
    downloads.open++;
    downloads.mostOpen = Math.max(downloads.mostOpen, downloads.open);
    res.once('close', () => downloads.open--);
  }

  function cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (!origin) return;
    if (origins.has('*')) res.setHeader('Access-Control-Allow-Origin', '*');
    else if (origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    } else return;
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, OPTIONS');
    const asked = req.headers['access-control-request-headers'];
    res.setHeader(
      'Access-Control-Allow-Headers',
      asked || 'Content-Type, Range, If-Range, If-Match, If-None-Match, X-Installation-Id',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204, { 'Content-Length': '0' });
    res.end();
  }

  function tooMany(seconds: number, message: string): ObjectStoreError {
    return new ObjectStoreError('TOO_MANY_REQUESTS', message, { status: 429, retryAfterSeconds: seconds });
  }

  /** Injected latency, 503s and 429s: what every API and data request goes through first. */
  async function injectFaults(): Promise<void> {
    const settings = faults.get();
    if (settings.latencyMs) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
    if (faults.roll(settings.errorRate))
      throw new ObjectStoreError('BACKEND', 'Injected fault: service unavailable.', { status: 503 });
    if (faults.roll(settings.rateLimitRate))
      throw tooMany(settings.retryAfterSeconds ?? 1, 'Injected fault: too many requests.');
  }

  async function api(req: IncomingMessage, res: ServerResponse, operation: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      throw new ObjectStoreError('INVALID_REQUEST', `${operation}: use POST.`, { status: 405 });
    }
    const installation = String(req.headers['x-installation-id'] ?? 'default');
    const at = now();
    const waitMinute = perMinute.hit(installation, at);
    if (waitMinute !== undefined)
      throw tooMany(
        waitMinute,
        `More than ${limits.requestsPerMinute} requests per minute for this installation.`,
      );
    const presigns = (count: number) => {
      const waitSecond = perSecond.hit(installation, at, count);
      if (waitSecond !== undefined)
        throw tooMany(
          waitSecond,
          `More than ${limits.presignsPerSecond} pre-signed URLs per second for this installation.`,
        );
    };
    const single = BATCH_PATHS.get(operation);
    if (single) return uploadUrls(req, res, installation, at, single, presigns);
    if (PRESIGN_PATHS.has(operation)) presigns(1);
    const body = asRecord(await readJson(req, limits.maxRequestBytes));
    switch (operation) {
      case 'metadata': {
        const { key, cdn } = parseBucketRequest(body);
        const reference = await store.get(key, { cdn });
        if (!reference) throw new ObjectStoreError('NOT_FOUND', 'No object with this key.', { status: 404 });
        return sendJson(res, 200, reference);
      }
      case 'delete': {
        const { key, cdn } = parseBucketRequest(body);
        await store.delete(key, { cdn });
        return sendJson(res, 204, undefined);
      }
      case 'upload-url':
      case 'public-upload-url': {
        // Checked here too: the handler's maxObjectSize holds whatever store it serves.
        const upload = checkUploadRequest(body, limits.maxObjectSize);
        const url =
          operation === 'upload-url'
            ? await store.createUploadUrl(upload)
            : await store.createPublicUploadUrl(upload);
        return sendJson(res, 200, url);
      }
      case 'download-url':
      case 'public-download-url': {
        const { key, cdn } = parseBucketRequest(body);
        const url =
          operation === 'download-url'
            ? await store.createDownloadUrl(key, { cdn })
            : await store.createPublicDownloadUrl(key, { cdn });
        if (!url) throw new ObjectStoreError('NOT_FOUND', 'No object with this key.', { status: 404 });
        return sendJson(res, 200, url);
      }
      case 'cdn-url': {
        const { key, ttlSeconds } = parseCdnUrlRequest(body);
        const url = await store.createCDNUrl(key, { ttlSeconds });
        if (!url)
          throw new ObjectStoreError('NOT_FOUND', 'No object with this key in the CDN bucket.', {
            status: 404,
          });
        return sendJson(res, 200, url);
      }
      default:
        throw new ObjectStoreError('NOT_FOUND', `No API operation ${JSON.stringify(operation)}.`, {
          status: 404,
        });
    }
  }

  /**
   * The batch of `upload-url`/`public-upload-url`: each body is checked as the single call checks it
   * (at most `maxRequestBytes` of JSON each), and counts as one request and one presign against the
   * installation's limits. All or none: one bad body fails the whole request.
   */
  async function uploadUrls(
    req: IncomingMessage,
    res: ServerResponse,
    installation: string,
    at: number,
    single: 'upload-url' | 'public-upload-url',
    presigns: (count: number) => void,
  ): Promise<void> {
    const body = asRecord(await readJson(req, limits.maxRequestBytes * MAX_UPLOAD_URL_BATCH));
    const { uploads } = body;
    if (!Array.isArray(uploads) || uploads.length === 0 || uploads.length > MAX_UPLOAD_URL_BATCH)
      throw invalidRequest('uploads', `must be an array of 1 to ${MAX_UPLOAD_URL_BATCH} upload URL bodies.`);
    const checked = uploads.map((upload, i) => {
      if (Buffer.byteLength(JSON.stringify(upload) ?? '') > limits.maxRequestBytes)
        throw new ObjectStoreError(
          'PAYLOAD_TOO_LARGE',
          `uploads[${i}] exceeds ${limits.maxRequestBytes} bytes.`,
          { status: 413 },
        );
      return checkUploadRequest(upload, limits.maxObjectSize);
    });
    if (checked.length > 1) {
      const waitMinute = perMinute.hit(installation, at, checked.length - 1);
      if (waitMinute !== undefined)
        throw tooMany(
          waitMinute,
          `More than ${limits.requestsPerMinute} requests per minute for this installation.`,
        );
    }
    presigns(checked.length);
    const urls = await Promise.all(
      checked.map((upload) =>
        single === 'upload-url' ? store.createUploadUrl(upload) : store.createPublicUploadUrl(upload),
      ),
    );
    return sendJson(res, 200, { urls });
  }

  async function upload(store: LocalObjectStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const grant = store.authorize('PUT', req.url ?? '/');
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) !== grant.length)
      throw new ObjectStoreError(
        'LENGTH_MISMATCH',
        `Content-Length is ${declared}; the URL was signed for ${grant.length} bytes.`,
        { status: 400 },
      );
    const dropAfter = faults.get().dropUploadAfterBytes;
    let body: Readable = req;
    if (dropAfter !== undefined) {
      // Only on this path: the counting hop costs throughput.
      // A Transform, not a 'data' listener: that would start the flow before the store listens.
      let received = 0;
      const counter = new Transform({
        highWaterMark: 1024 * 1024,
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > dropAfter && received - chunk.length <= dropAfter && faults.takeDrop()) {
            req.socket.destroy();
            callback();
            return;
          }
          callback(null, chunk);
        },
      });
      pipeline(req, counter).catch(() => undefined);
      body = counter;
    }
    const reference = await store.receive(grant, body, req.headers['content-type']);
    sendJson(res, 200, reference, { ETag: `"${reference.currentVersion}"` });
  }

  async function download(store: LocalObjectStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const grant = store.authorize('GET', req.url ?? '/');
    const opened = await store.open(grant.bucket, grant.key);
    if (!opened) throw new ObjectStoreError('NOT_FOUND', 'No object with this key.', { status: 404 });
    try {
      await sendObject(req, res, opened, grant.cacheSeconds);
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  }

  async function sendObject(
    req: IncomingMessage,
    res: ServerResponse,
    opened: OpenedObject,
    cacheSeconds: number | undefined,
  ): Promise<void> {
    const { reference, size } = opened;
    const etag = `"${reference.currentVersion}"`;
    const lastModified = new Date(opened.updatedAtMs).toUTCString();
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', lastModified);
    res.setHeader('Accept-Ranges', faults.get().ignoreRange ? 'none' : 'bytes');
    res.setHeader('Cache-Control', downloadCacheControl(cacheSeconds, faults.get()));
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch.trim() !== '*' && !ifMatch.split(',').some((tag) => tag.trim() === etag))
      throw new ObjectStoreError('OBJECT_CHANGED', 'The object changed (If-Match failed).', { status: 412 });
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      res.writeHead(304);
      res.end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const rangeHeader =
      faults.get().ignoreRange || (ifRange && ifRange !== etag && ifRange !== lastModified)
        ? undefined
        : req.headers.range;
    const range = parseRange(rangeHeader, size);
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${size}`);
      throw new ObjectStoreError('INVALID_REQUEST', `The range is outside the object's ${size} bytes.`, {
        status: 416,
      });
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end : size - 1;
    const headers: Record<string, string> = {
      'Content-Type': reference.contentType ?? 'application/octet-stream',
      'Content-Length': String(end - start + 1),
    };
    if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const source = opened.handle.createReadStream({
      start,
      end,
      highWaterMark: 1024 * 1024,
      autoClose: false,
    });
    const { dropDownloadAfterBytes: dropAfter, corruptDownload, downloadBytesPerSecond: pace } = faults.get();
    if (dropAfter === undefined && !corruptDownload && !pace) {
      await pipeline(source, res).catch(() => undefined);
      return;
    }
    await sendWithFaults(source, res, dropAfter, corruptDownload === true, pace);
  }

  async function sendWithFaults(
    source: Readable,
    res: ServerResponse,
    dropAfter: number | undefined,
    corrupt: boolean,
    bytesPerSecond: number | undefined,
  ): Promise<void> {
    let sent = 0;
    const started = performance.now();
    try {
      for await (const read of source as AsyncIterable<Buffer>) {
        let chunk = read;
        if (corrupt && sent === 0 && chunk.length > 0) {
          chunk = Buffer.from(chunk);
          chunk[0] = chunk[0]! ^ 0xff;
        }
        if (dropAfter !== undefined && sent + chunk.length > dropAfter && faults.takeDrop()) {
          // Hand the bytes before the cut to the kernel, then close (FIN, not RST, which could
          // discard them at the client): it sees a body shorter than Content-Length.
          res.write(chunk.subarray(0, dropAfter - sent), () => res.socket?.destroySoon());
          return;
        }
        // Paced in pieces of a tenth of a second, so the body flows instead of arriving in bursts.
        const piece = bytesPerSecond ? Math.max(1, Math.floor(bytesPerSecond / 10)) : chunk.length;
        for (let at = 0; at < chunk.length; at += piece) {
          const part = chunk.subarray(at, at + piece);
          if (bytesPerSecond) await paceTo(sent + part.length, bytesPerSecond, started);
          if (res.destroyed) return;
          sent += part.length;
          if (!res.write(part)) await drained(res);
          if (res.destroyed) return;
        }
      }
      res.end();
    } finally {
      source.destroy();
    }
  }

  async function adminRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/_admin/faults' && req.method === 'GET') return sendJson(res, 200, faults.get());
    if (path === '/_admin/faults' && req.method === 'POST')
      return sendJson(res, 200, faults.set(asRecord(await readJson(req, ADMIN_BODY_LIMIT))));
    if (path === '/_admin/sandbox' && req.method === 'POST' && options.sandboxes) {
      const id = await options.sandboxes.create();
      return sendJson(res, 200, { url: `${local?.baseUrl ?? ''}/sandbox/${id}` });
    }
    if (path === '/_admin/downloads' && req.method === 'GET') return sendJson(res, 200, downloads);
    if (path === '/_admin/reset' && req.method === 'POST') {
      faults.reset();
      downloads.ranges = [];
      downloads.mostOpen = downloads.open;
      perMinute.reset();
      perSecond.reset();
      return sendJson(res, 200, faults.get());
    }
    throw new ObjectStoreError('NOT_FOUND', `No admin endpoint ${req.method} ${path}.`, { status: 404 });
  }

  async function serve(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const isApi = path.startsWith(API_PREFIX);
    const isData = local !== undefined && path.startsWith('/objects/');
    const isAdmin = options.admin === true && path.startsWith('/_admin/');
    const sandbox =
      options.admin && options.sandboxes && /^\/sandbox\/([a-z0-9]+)(\/.*)$/.exec(req.url ?? '');
    const child = sandbox ? options.sandboxes?.get(sandbox[1]!) : undefined;
    if (sandbox && child) {
      req.url = sandbox[2]!;
      return child(req, res, next);
    }
    if (!isApi && !isData && !isAdmin) {
      if (next) return next();
      cors(req, res);
      return sendError(res, new ObjectStoreError('NOT_FOUND', `Nothing at ${path}.`, { status: 404 }));
    }
    cors(req, res);
    if (req.method === 'OPTIONS') return preflight(req, res);
    // Counted from arrival: a GET held by injected latency is in flight too.
    if (isData && req.method === 'GET' && options.admin) trackDownload(req, res);
    try {
      if (isAdmin) return await adminRequest(req, res, path);
      await injectFaults();
      if (isApi) return await api(req, res, path.slice(API_PREFIX.length));
      if (req.method === 'PUT') return await upload(local!, req, res);
      if (req.method === 'GET' || req.method === 'HEAD') return await download(local!, req, res);
      res.setHeader('Allow', 'GET, HEAD, PUT, OPTIONS');
      throw new ObjectStoreError('INVALID_REQUEST', `${req.method} is not allowed on object URLs.`, {
        status: 405,
      });
    } catch (error) {
      // A client that went away (or a drop we injected) needs no answer and no log line.
      if (clientWentAway(req, error)) res.destroy();
      else sendError(res, error);
    } finally {
      // A refused PUT may not have read its body: drain it so the client can read our answer.
      if (!req.readableEnded && !req.destroyed) req.resume();
    }
  }

  return (req, res, next) => {
    serve(req, res, next).catch((error) =>
      clientWentAway(req, error) ? res.destroy() : sendError(res, error),
    );
  };
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** Waits until `bytes` may have been sent at `bytesPerSecond` since `started` (a `performance.now()`). */
async function paceTo(bytes: number, bytesPerSecond: number, started: number): Promise<void> {
  const wait = started + (bytes / bytesPerSecond) * 1000 - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
