import type { EngineContext } from '../context';
import { callBackend } from '../context';
import { isObjectStoreError, ObjectStoreError } from '../errors';
import { errorFromResponse } from '../http-errors';
import { DEFAULT_CONTENT_TYPE } from '../limits';
import type { ObjectReference, UploadUrlBody } from '../types';
import { toObjectStoreError, withRetry } from '../with-retry';
import {
  type BatchPresigner,
  createBatchPresigner,
  type IssuedUrl,
  isFresh,
  uploadUrlBody,
} from './presigner';
import type { Release, Slots } from './slots';
import { createSpeedMeter } from './speed';
import type { UploadAction } from './state';

/**
 * What one upload carries between runs. A paused or failed task keeps its checksum (hashing
 * again would read the whole file) and its URL while fresh. The URL never leaves this object.
 */
export interface UploadJob {
  readonly file: Blob;
  readonly request: Omit<UploadUrlBody, 'checksum'>;
  readonly skipIfUnchanged: boolean;
  checksum?: string;
  url?: IssuedUrl;
  /** Replaced for each run, so a stopped run's late events are dropped. */
  dispatch: (action: UploadAction) => void;
}

export interface UploadSlots {
  /** Hashing and presigning run ahead of the transfers, bounded so the look-ahead stays short. */
  readonly prepare: Slots;
  /** `concurrency`: PUTs in flight. */
  readonly transfer: Slots;
  /** Where the backend can hand out several upload URLs in one call: they are asked for in batches. */
  readonly batches?: UploadBatches;
}

/** One client's batched presigning: its presigner is made here, with this lazily loaded code, when first needed. */
export interface UploadBatches {
  readonly createUploadUrls: NonNullable<EngineContext['backend']['createUploadUrls']>;
  /** How many waiting uploads may hold a URL fetched ahead. */
  readonly ahead: number;
  presigner?: BatchPresigner;
}

function batchPresigner({ batches }: UploadSlots, context: EngineContext): BatchPresigner | undefined {
  if (!batches) return undefined;
  batches.presigner ??= createBatchPresigner(context, batches.createUploadUrls, batches.ahead);
  return batches.presigner;
}

async function hash(job: UploadJob, context: EngineContext, signal: AbortSignal): Promise<string> {
  job.dispatch({ type: 'hashing' });
  try {
    const checksum = await context.hasher(job.file, job.request.checksumType, {
      signal,
      onProgress: (hashed) => job.dispatch({ type: 'hashProgress', hashed }),
    });
    job.dispatch({ type: 'hashed', checksum });
    return checksum;
  } catch (error) {
    if (signal.aborted || isObjectStoreError(error)) throw toObjectStoreError(error, 'Hashing', signal);
    throw new ObjectStoreError('INVALID_INPUT', 'The file could not be read to compute its checksum.', {
      cause: error,
      retryable: false,
    });
  }
}

async function presign(job: UploadJob, context: EngineContext, signal: AbortSignal): Promise<IssuedUrl> {
  job.dispatch({ type: 'presigning' });
  const response = await callBackend(
    context,
    'Creating an upload URL',
    (s) => context.backend.createUploadUrl(uploadUrlBody(job), { signal: s }),
    {
      signal,
      onRetry: (error, delay) => job.dispatch({ type: 'retrying', at: context.now() + delay, error }),
    },
  );
  if (!response || typeof response.url !== 'string')
    throw new ObjectStoreError('BACKEND', 'createUploadUrl returned no URL.', { retryable: false });
  return { response, issuedAt: context.now() };
}

function matches(job: UploadJob, stored: ObjectReference): boolean {
  if (stored.size !== job.file.size) return false;
  if (stored.checksumType !== undefined && stored.checksumType !== job.request.checksumType) return false;
  return stored.checksum === job.checksum;
}

function getStored(job: UploadJob, context: EngineContext, signal: AbortSignal, what: string) {
  return callBackend(
    context,
    what,
    (s) => context.backend.get(job.request.key, { signal: s, cdn: job.request.cdn }),
    {
      signal,
    },
  );
}

function reference(job: UploadJob, stored: ObjectReference): ObjectReference {
  return { ...stored, checksumType: stored.checksumType ?? job.request.checksumType };
}

/**
 * The stored object as the PUT's answer describes it, when the answer is one (the local store and
 * `createObjectStoreHandler` send the ObjectReference as JSON; S3 sends an empty body). Anything else,
 * including a reference to another key, is no answer: the upload is then confirmed by `get`.
 */
function answeredReference(
  job: UploadJob,
  text: string,
  contentType: string | null,
): ObjectReference | undefined {
  if (!contentType?.includes('json') || text.length === 0 || text.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<ObjectReference> | null;
    if (
      parsed &&
      parsed.key === job.request.key &&
      typeof parsed.size === 'number' &&
      typeof parsed.checksum === 'string'
    )
      return parsed as ObjectReference;
  } catch {
    // Not JSON after all.
  }
  return undefined;
}

/** One PUT of the whole file; a non-2xx answer becomes the store's error. Resolves with the answer's reference, if any. */
async function put(
  job: UploadJob,
  context: EngineContext,
  url: IssuedUrl,
  signal: AbortSignal,
): Promise<ObjectReference | undefined> {
  // Presigning just now may have taken long enough for a 429 elsewhere to shut the gate.
  await context.gate.wait(signal);
  const meter = createSpeedMeter();
  job.dispatch({ type: 'uploading' });
  meter.reset(context.now());
  const response = await context.transport.send({
    method: 'PUT',
    url: url.response.url,
    headers: { 'content-type': job.request.contentType ?? DEFAULT_CONTENT_TYPE, ...url.response.headers },
    body: job.file,
    signal,
    onUploadProgress: (loaded) =>
      job.dispatch({ type: 'progress', loaded, bytesPerSecond: meter.sample(loaded, context.now()) }),
  });
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300)
    return answeredReference(job, text, response.headers.get('content-type'));
  throw errorFromResponse(response.status, text, response.headers, 'PUT');
}

/** A batch's URL when the presigner can give one, else one of the job's own. */
async function freshUrl(
  job: UploadJob,
  context: EngineContext,
  presigner: BatchPresigner | undefined,
  signal: AbortSignal,
): Promise<IssuedUrl> {
  if (presigner) {
    job.dispatch({ type: 'presigning' });
    const url = await presigner.take(job, signal);
    if (url) return url;
  }
  return await presign(job, context, signal);
}

async function transfer(
  job: UploadJob,
  context: EngineContext,
  presigner: BatchPresigner | undefined,
  signal: AbortSignal,
): Promise<ObjectReference | undefined> {
  return await withRetry(
    async () => {
      if (!isFresh(context, job.url)) job.url = await freshUrl(job, context, presigner, signal);
      return await put(job, context, job.url, signal);
    },
    {
      retry: context.retry,
      gate: context.gate,
      signal,
      what: 'Upload',
      recover: (error) => {
        if (error.code !== 'URL_EXPIRED' && error.code !== 'SIGNATURE_INVALID') return false;
        job.url = undefined;
        return true;
      },
      onRetry: (error, delay) => job.dispatch({ type: 'retrying', at: context.now() + delay, error }),
    },
  );
}

/**
 * hash → (skip if unchanged) → presign → wait for a transfer slot → PUT → confirm. With a batch
 * presigner, the URL is asked for while waiting for the slot, together with other waiting files'.
 * Hashing and presigning of queued files overlap the transfers of earlier ones; the transfer
 * slot is held only for the PUT. The stored size and checksum are checked against ours either from
 * the PUT's answer, when the store answers with the object's reference (one request less per file:
 * 200 files of 1 MiB spent a third of their requests on `get`), or else by `get`.
 * Rejects with `ABORTED` when `signal` fires, wherever it is.
 */
export async function runUpload(
  job: UploadJob,
  context: EngineContext,
  slots: UploadSlots,
  signal: AbortSignal,
): Promise<{ object: ObjectReference; skipped: boolean }> {
  let releasePrepare: Release | undefined;
  try {
    releasePrepare = await slots.prepare.acquire(signal);
    job.checksum ??= await hash(job, context, signal);
    if (job.skipIfUnchanged) {
      const stored = await getStored(job, context, signal, 'Looking up the stored object');
      if (stored && matches(job, stored)) return { object: reference(job, stored), skipped: true };
    }
    const presigner = batchPresigner(slots, context);
    // With a batch presigner the URL comes while the job waits for its slot (or when it gets one).
    if (presigner) presigner.offer(job);
    else if (!isFresh(context, job.url)) job.url = await presign(job, context, signal);
    let releaseTransfer: Release;
    try {
      if (!slots.transfer.free) job.dispatch({ type: 'queued' });
      releaseTransfer = await slots.transfer.acquire(signal);
    } finally {
      presigner?.withdraw(job);
    }
    releasePrepare();
    let answered: ObjectReference | undefined;
    try {
      answered = await transfer(job, context, presigner, signal);
    } finally {
      releaseTransfer();
    }
    job.url = undefined;
    job.dispatch({ type: 'finalizing' });
    const stored = answered ?? (await getStored(job, context, signal, 'Confirming the upload'));
    if (!stored)
      throw new ObjectStoreError(
        'NOT_FOUND',
        `The store accepted the upload but has no object "${job.request.key}".`,
        {
          retryable: false,
        },
      );
    if (!matches(job, stored))
      throw new ObjectStoreError(
        'CHECKSUM_MISMATCH',
        `The stored object "${job.request.key}" (${stored.size} bytes, ${stored.checksum}) is not the file sent (${job.file.size} bytes, ${job.checksum}).`,
        { retryable: false },
      );
    return { object: reference(job, stored), skipped: false };
  } finally {
    releasePrepare?.();
  }
}
