import type { EngineContext } from '../context';
import { abortError, ObjectStoreError } from '../errors';
import { MAX_UPLOAD_URL_BATCH } from '../limits';
import type { PresignedUrlResponse, UploadUrlBody } from '../types';
import { toObjectStoreError } from '../with-retry';

/** A pre-signed URL and when it was handed out: the store does not say when it expires. */
export interface IssuedUrl {
  readonly response: PresignedUrlResponse;
  readonly issuedAt: number;
}

/** What the batch presigner needs of an upload: its request, and the slot its URL goes into. */
export interface PresignTarget {
  readonly request: Omit<UploadUrlBody, 'checksum'>;
  checksum?: string;
  url?: IssuedUrl;
}

/** A URL is refreshed before a PUT when less than this share of its life is left. */
const EXPIRY_MARGIN = 0.1;
const MAX_EXPIRY_MARGIN_MS = 60_000;

export function isFresh(context: EngineContext, url: IssuedUrl | undefined): url is IssuedUrl {
  if (!url) return false;
  const margin = Math.min(MAX_EXPIRY_MARGIN_MS, context.urlLifetimeMs * EXPIRY_MARGIN);
  return context.now() - url.issuedAt < context.urlLifetimeMs - margin;
}

export function uploadUrlBody(target: PresignTarget): UploadUrlBody {
  return { ...target.request, checksum: target.checksum! };
}

/**
 * Asks for upload URLs several at a time (`backend.createUploadUrls`), for hashed uploads that wait
 * for a transfer slot. Measured on bench:upload (b), 200 × 1 MiB: one request per file cost about 4 ms
 * of CPU across the page, the browser, its network service and the store, 0.8 s in all, next to 2.7 s
 * for the PUTs themselves, on a 2-core machine where that CPU is the bottleneck.
 *
 * URLs are fetched ahead only while fewer than `ahead` waiting uploads hold one, so a batch is whatever
 * queued up since the last (no timer), and a URL is used within a few transfers of being issued. A
 * batch is one attempt: if it fails, the uploads it was for presign one by one (with the retry policy),
 * and an error that retrying cannot fix (a server without the batch route) stops batching for good.
 * The presigner holds uploads only while they wait; their URLs are written into them, never kept here.
 */
export interface BatchPresigner {
  /** A hashed upload now waits for a transfer slot: it may get a URL in a batch. */
  offer(target: PresignTarget): void;
  /** It no longer waits (it got its slot, or stopped). */
  withdraw(target: PresignTarget): void;
  /**
   * A fresh URL for `target` now: from a batch already asking for it, or a new one with it first.
   * `undefined` when batching failed or is off: then presign it alone.
   */
  take(target: PresignTarget, signal: AbortSignal): Promise<IssuedUrl | undefined>;
}

/** `promise`, or an `ABORTED` rejection as soon as `signal` fires. `promise` must not reject. */
function abortable(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The backend has no working batch call (no such route or resolver), as opposed to a bad body in it. */
function hasNoBatches(error: ObjectStoreError): boolean {
  return (
    error.code === 'NOT_FOUND' ||
    error.status === 404 ||
    error.status === 405 ||
    error.status === 501 ||
    (error.code === 'BACKEND' && !error.retryable)
  );
}

export function createBatchPresigner(
  context: EngineContext,
  createUploadUrls: NonNullable<EngineContext['backend']['createUploadUrls']>,
  ahead: number,
  maxBatch = MAX_UPLOAD_URL_BATCH,
): BatchPresigner {
  const waiting: PresignTarget[] = [];
  const asking = new Map<PresignTarget, Promise<void>>();
  const alone = new WeakSet<PresignTarget>();
  /** Uploads in `take`, wanting a URL now. */
  const urgent = new Set<PresignTarget>();
  const flights = new Set<Promise<void>>();
  let fetchingAhead = false;
  let off = false;

  function send(targets: PresignTarget[]): Promise<void> {
    const batch = (async () => {
      await context.gate.wait();
      const responses = await createUploadUrls(targets.map(uploadUrlBody));
      if (
        !Array.isArray(responses) ||
        responses.length !== targets.length ||
        responses.some((response) => typeof response?.url !== 'string')
      )
        throw new ObjectStoreError('BACKEND', 'createUploadUrls did not return one URL per body.', {
          retryable: false,
        });
      const issuedAt = context.now();
      targets.forEach((target, i) => {
        if (!isFresh(context, target.url)) target.url = { response: responses[i]!, issuedAt };
      });
    })()
      .catch((caught: unknown) => {
        const error = toObjectStoreError(caught, 'Creating upload URLs');
        if (error.code === 'TOO_MANY_REQUESTS') {
          const delay = context.retry.delayBeforeRetry(error, 1);
          if (delay !== undefined) context.gate.pauseFor(delay);
          return;
        }
        if (hasNoBatches(error)) off = true;
        // One bad body fails its whole batch: its files presign alone from now on, so the bad one
        // gets its own error and does not sink every later batch.
        for (const target of targets) alone.add(target);
      })
      .finally(() => {
        flights.delete(batch);
        for (const target of targets) if (asking.get(target) === batch) asking.delete(target);
      });
    flights.add(batch);
    for (const target of targets) asking.set(target, batch);
    return batch;
  }

  /** Waiting uploads with no URL and none on the way, oldest first, up to `limit`. */
  function unserved(limit: number, except?: PresignTarget): PresignTarget[] {
    const found: PresignTarget[] = [];
    for (const target of waiting) {
      if (found.length >= limit) break;
      if (target !== except && !asking.has(target) && !alone.has(target) && !isFresh(context, target.url))
        found.push(target);
    }
    return found;
  }

  function fetchAhead(): void {
    if (off || fetchingAhead) return;
    const served = waiting.filter((target) => asking.has(target) || isFresh(context, target.url)).length;
    if (served >= ahead) return;
    const targets = unserved(maxBatch);
    if (targets.length === 0) return;
    fetchingAhead = true;
    void send(targets).then(() => {
      fetchingAhead = false;
      fetchAhead();
    });
  }

  return {
    offer(target) {
      waiting.push(target);
      fetchAhead();
    },
    withdraw(target) {
      const at = waiting.indexOf(target);
      if (at < 0) return;
      waiting.splice(at, 1);
      fetchAhead();
    },
    async take(target, signal) {
      if (signal.aborted) throw abortError(signal.reason);
      const wanted = () => !asking.has(target) && !isFresh(context, target.url) && !off && !alone.has(target);
      urgent.add(target);
      try {
        // While a batch is on its way, wait for it once: files that need a URL now then go in one
        // batch together (at the start every transfer slot is free and asks at once).
        if (wanted() && flights.size > 0) await abortable(Promise.race(flights), signal);
        if (wanted()) {
          const now = [...urgent].filter(
            (other) => other !== target && !asking.has(other) && !alone.has(other),
          );
          const group = [target, ...now.filter((other) => !isFresh(context, other.url))].slice(0, maxBatch);
          send([...group, ...unserved(maxBatch - group.length)]);
        }
        const batch = asking.get(target);
        if (batch) await abortable(batch, signal);
      } finally {
        urgent.delete(target);
      }
      return isFresh(context, target.url) ? target.url : undefined;
    },
  };
}
