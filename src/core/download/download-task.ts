import { type ChecksumSession, computeChecksum, createChecksumSession } from '../../checksum';
import { isNoStore } from '../cache-control';
import { abortError, isObjectStoreError, ObjectStoreError } from '../errors';
import { errorFromResponse } from '../http-errors';
import { createRateGate, type RateGate } from '../rate-gate';
import type { RetryPolicy } from '../retry';
import type { Transport, TransportResponse } from '../transport/types';
import type { ChecksumType, ObjectReference, ObjectStoreBackend, PresignedUrlResponse } from '../types';
import { createSpeedMeter } from '../upload/speed';
import { withRetry } from '../with-retry';
import { pipeBody } from './body-pipe';
import { openBodyReader } from './body-reader';
import { createLaneRamp } from './lane-ramp';
import { OrderedFeed } from './ordered-feed';
import { defaultFileName, QUEUED_SNAPSHOT } from './queued-snapshot';
import { splitPoint } from './range-split';
import { type DownloadSink, isSinkResponse, openSink, type SinkResponse } from './sinks';
import type {
  ChecksumSessionFactory,
  DownloadOptions,
  DownloadSnapshot,
  DownloadStatus,
  DownloadTask,
} from './types';
import { validateDownload } from './validate-options';

export const DEFAULT_SEGMENT_SIZE = 8 * 1024 * 1024;
export const DEFAULT_PARALLEL = 4;
/** Network chunks (often 64 KiB) are gathered into writes of this size: fewer, cheaper sink calls. */
const WRITE_SIZE = 1024 * 1024;
/**
 * Smallest range a split leaves on either side (see `splitPoint`). Each GET holds memory in the writer
 * worker until its collector runs. 1 GiB into OPFS, `npm run bench:download`: with 8 MiB pieces, 5–9 GETs
 * and a renderer growth of 20–65 MiB (16 runs); with 32 MiB, 4–8 GETs and 18–49 MiB (64 runs, four
 * invocations); with no split, 10–34 MiB (64 runs, the session before). At the ~250 MB/s of one of four
 * lanes, a piece of 32 MiB still takes an eighth of a second.
 */
const MIN_SPLIT_PIECE = 32 * 1024 * 1024;
/** Largest GET when `segmentSize` may grow (see `requestSize`). */
const MAX_REQUEST_SIZE = 64 * 1024 * 1024;
/** Updates a digest may have in flight: the worker hashes the next while the previous one's ack travels back. */
const HASH_WINDOW = 4;
/** Read-backs of the written file (verify with the sink fetching) in flight, ahead of the digest. */
const READ_AHEAD = 2;
const MAX_RESTARTS = 3;
const STALL_TIMEOUT_MS = 30_000;

/** What a download task needs: the client's `EngineContext` fits; tests script each part. */
export interface DownloadDeps {
  backend: ObjectStoreBackend;
  /** Serves the GETs; its response bodies must be streams. */
  transport: Transport;
  retry: RetryPolicy;
  /** The client's 429 gate, shared with its uploads. Default: one for this task. */
  gate?: RateGate;
  /** Incremental digest for `verify`. Default: `createChecksumSession` (a pooled worker). */
  createChecksumSession?: ChecksumSessionFactory;
  /** Digest of a whole file, for a check after the file is closed. Default: `computeChecksum` (the pool). */
  hashBlob?: (blob: Blob, type: ChecksumType, signal: AbortSignal) => Promise<string>;
  now?: () => number;
  /** A body read that brings no byte for this long fails as `NETWORK` (and is retried). Default 30 s. */
  stallTimeoutMs?: number;
  /** Smallest range a split leaves on either side (see `splitPoint`). Default 32 MiB; tests shrink it. */
  minSplitPiece?: number;
  /** Opens the target. Default `openSink`; `client.download` passes one holding the save picker it opened at the click. */
  openSink?: typeof openSink;
}

interface Segment {
  start: number;
  /** Exclusive. */
  end: number;
  /** Bytes from `start` already handed to the sink: a retry asks for `start + received` onward. */
  received: number;
}

/** Drops a body that will not be read, whether the page or the sink holds it. */
function discardBody(response: TransportResponse): void {
  if (isSinkResponse(response)) response.discard();
  else void response.body?.cancel().catch(() => {});
}

/** Thrown by a ranged request answered 200: the server ignores Range and sends the whole object. */
class WholeBodyAnswer {
  constructor(readonly response: TransportResponse) {}
}

const TERMINAL: ReadonlySet<DownloadStatus> = new Set(['done', 'failed', 'canceled']);

type Action =
  | { type: 'status'; status: 'presigning' | 'downloading' | 'verifying' }
  | { type: 'metadata'; total: number }
  | { type: 'progress'; loaded: number; fetched: number; bytesPerSecond: number }
  | { type: 'pause' }
  | { type: 'done' }
  | { type: 'fail'; error: ObjectStoreError }
  | { type: 'cancel'; error: ObjectStoreError };

function reduce(state: DownloadSnapshot, action: Action): DownloadSnapshot {
  if (TERMINAL.has(state.status)) return state;
  switch (action.type) {
    case 'status':
      // A paused task stays paused until `resume()`, whatever the unwinding run reports.
      // Unchanged, nobody is told again (the check says `verifying` before its read-back and before its digest).
      if (state.status === 'paused' || state.status === action.status) return state;
      return { ...state, status: action.status };
    case 'metadata':
      return { ...state, total: action.total };
    case 'progress': {
      const etaSeconds =
        action.bytesPerSecond <= 0
          ? undefined
          : Math.max(0, state.total - action.loaded) / action.bytesPerSecond;
      return {
        ...state,
        loaded: action.loaded,
        fetched: action.fetched,
        bytesPerSecond: action.bytesPerSecond,
        etaSeconds,
      };
    }
    case 'pause':
      return { ...state, status: 'paused', bytesPerSecond: 0, etaSeconds: undefined };
    case 'done':
      return { ...state, status: 'done', bytesPerSecond: 0, etaSeconds: 0 };
    case 'fail':
      return { ...state, status: 'failed', error: action.error, bytesPerSecond: 0, etaSeconds: undefined };
    case 'cancel':
      return { ...state, status: 'canceled', error: action.error, bytesPerSecond: 0, etaSeconds: undefined };
  }
}

function objectChanged(detail: string): ObjectStoreError {
  return new ObjectStoreError('OBJECT_CHANGED', `The object changed during the download: ${detail}.`, {
    retryable: false,
  });
}

/** `bytes 0-99/1000` → its parts; `undefined` when absent or malformed. */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total: number | undefined } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === '*' ? undefined : Number(match[3]),
  };
}

/** The seed's metadata has no checksum type; base64 digest lengths tell SHA-1 and SHA-256 apart. */
export function checksumTypesFor(meta: ObjectReference): ChecksumType[] {
  if (meta.checksumType) return [meta.checksumType];
  if (meta.checksum.length === 44) return ['SHA256'];
  if (meta.checksum.length === 28) return ['SHA1'];
  if (meta.checksum.length === 8) return ['CRC32C', 'CRC32'];
  return [];
}

let taskCounter = 0;

class DownloadTaskImpl implements DownloadTask {
  readonly id = `download-${Date.now().toString(36)}-${++taskCounter}`;
  readonly done: Promise<Blob | undefined>;

  private state: DownloadSnapshot = QUEUED_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private resolveDone!: (value: Blob | undefined) => void;
  private rejectDone!: (error: ObjectStoreError) => void;

  private readonly segmentSize: number;
  private readonly parallel: number;
  private readonly verify: boolean;
  private readonly gate: RateGate;
  private readonly now: () => number;
  private readonly speed = createSpeedMeter();
  /** Lives as long as the task: only `cancel()` fires it. */
  private readonly lifetime = new AbortController();
  private run: AbortController | undefined;
  private driving: Promise<void> = Promise.resolve();
  private readonly sinkOpening: Promise<DownloadSink>;

  private sink: DownloadSink | undefined;
  private meta: ObjectReference | undefined;
  private url: PresignedUrlResponse | undefined;
  private urlRefresh: Promise<void> | undefined;
  private etag: string | undefined;
  /** Set while the first GET is out: the others wait for its ETag so they can send If-Range. */
  private probe: Promise<void> | undefined;
  private etagChecked = false;
  private segments: Segment[] = [];
  private wholeBody = false;
  private feed: OrderedFeed | undefined;
  private verifiers: Array<{ type: ChecksumType; session: ChecksumSession }> = [];
  /** Digest updates not yet acknowledged, oldest first (at most HASH_WINDOW per verifier). */
  private hashing: Promise<void>[] = [];
  private loaded = 0;
  private fetched = 0;
  /** Write buffers the feed is done with, refilled instead of allocating (see `openBodyReader`). */
  private spare: ArrayBuffer[] = [];
  /**
   * The sink makes the GETs and writes the bodies where it writes (the OPFS worker): bodies never reach the
   * page, whose memory then stays flat. The digest reads the written bytes back, in order.
   */
  private sinkFetches = false;
  /** Hands in-order bytes to the digests (the feed's consumer, or the read-back's). */
  private digest: ((chunk: Uint8Array) => Promise<void>) | undefined;
  /** With `sinkFetches`: bytes read back from the sink into the digest so far. */
  private hashedTo = 0;
  /**
   * With `sinkFetches`, into a file that cannot be read before it is closed (a writable stream): these types
   * are checked over the closed file instead of as the bytes arrive.
   */
  private checkAfterClose: ChecksumType[] = [];
  /** While lanes ramp up (`rampsLanes`): told of the writer's time in writes and of each new body. */
  private widen: { busy(busyMs: number): void; newBody(response: TransportResponse): void } | undefined;
  /** Ranges whose bodies the sink is writing now, with the answer whose pipe can be shortened. */
  private piping = new Map<Segment, SinkResponse>();
  /** The last split: splits run one after another (see `split`). */
  private splitting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: DownloadDeps,
    readonly key: string,
    private readonly options: DownloadOptions,
  ) {
    this.segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.parallel = options.parallel ?? DEFAULT_PARALLEL;
    this.verify = options.verify ?? true;
    this.gate = deps.gate ?? createRateGate(deps.now);
    this.now = deps.now ?? Date.now;
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Callers that only watch the snapshot must not see an unhandled rejection.
    this.done.catch(() => {});
    // Before any await: the save picker needs the click that started the download to still count.
    this.sinkOpening = (deps.openSink ?? openSink)(options.to ?? 'blob', {
      fileName: options.fileName ?? defaultFileName(key),
    });
    this.sinkOpening.catch(() => {});
    const { signal } = options;
    if (signal?.aborted) {
      this.cancel();
      return;
    }
    signal?.addEventListener('abort', () => this.cancel(), { once: true });
    this.start();
  }

  getSnapshot = (): DownloadSnapshot => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  pause(): void {
    const { status } = this.state;
    if (status !== 'queued' && status !== 'presigning' && status !== 'downloading') return;
    this.dispatch({ type: 'pause' });
    this.run?.abort(abortError('paused'));
  }

  resume(): void {
    if (this.state.status !== 'paused') return;
    this.state = { ...this.state, status: this.meta && this.url ? 'downloading' : 'queued' };
    this.notify();
    this.start();
  }

  cancel(): void {
    if (TERMINAL.has(this.state.status)) return;
    const error = abortError(this.options.signal?.reason);
    this.dispatch({ type: 'cancel', error });
    this.run?.abort(error);
    this.lifetime.abort(error);
    // Undo only once the run has unwound, so no write lands after the sink's abort; `done` rejects after.
    void this.driving.then(() => this.discard(error)).finally(() => this.rejectDone(error));
  }

  private start(): void {
    // A run unwinding after pause() must finish before the next one touches the same segments.
    this.driving = this.driving.then(() => this.drive());
  }

  private dispatch(action: Action): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async drive(): Promise<void> {
    if (this.state.status === 'paused' || TERMINAL.has(this.state.status)) return;
    const run = new AbortController();
    this.run = run;
    const signal = AbortSignal.any([run.signal, this.lifetime.signal]);
    this.speed.reset(this.now(), this.loaded);
    try {
      this.sink ??= await this.sinkOpening;
      for (let restarts = 0; ; restarts++) {
        try {
          await this.transfer(signal);
          return;
        } catch (error) {
          const restart =
            isObjectStoreError(error) &&
            error.code === 'OBJECT_CHANGED' &&
            this.options.onObjectChanged === 'restart' &&
            restarts < MAX_RESTARTS &&
            !signal.aborted;
          if (!restart) throw error;
          await this.forgetVersion();
        }
      }
    } catch (error) {
      // Pause and cancel abort the run; they have already set the status.
      if (signal.aborted) return;
      const failure = isObjectStoreError(error)
        ? error
        : new ObjectStoreError('BACKEND', 'The download failed unexpectedly.', {
            cause: error,
            retryable: false,
          });
      // Undo first: whoever awaits `done` must find no partial file that looks complete.
      await this.discard(failure);
      this.dispatch({ type: 'fail', error: failure });
      this.rejectDone(failure);
    }
  }

  private async transfer(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal.reason);
    if (!this.meta) {
      this.dispatch({ type: 'status', status: 'presigning' });
      const meta = await this.callBackend(
        `get("${this.key}")`,
        () => this.deps.backend.get(this.key, { cdn: this.options.cdn, signal }),
        signal,
      );
      if (!meta) throw new ObjectStoreError('NOT_FOUND', `No object under "${this.key}".`, { status: 404 });
      if (!Number.isSafeInteger(meta.size) || meta.size < 0)
        throw new ObjectStoreError('BACKEND', `The object's metadata has no valid size (${meta.size}).`, {
          retryable: false,
        });
      // Before the ways of writing are chosen from the sink: it may hand over to another one.
      if (this.sink!.fit) this.sink = await this.sink!.fit(meta.size);
      this.prepare(meta);
    }
    if (!this.url) {
      this.dispatch({ type: 'status', status: 'presigning' });
      this.url = await this.presign(signal);
    }
    this.dispatch({ type: 'status', status: 'downloading' });
    await this.fetchAll(signal);
    const size = this.meta!.size;
    await this.feed?.consumedTo(size, signal);
    if (this.sinkFetches && this.digest) {
      // Read back once every byte is written, not while the lanes write: the writer worker served the reads
      // between its writes, fell further behind the network, and Chromium held the unread body bytes.
      this.dispatch({ type: 'status', status: 'verifying' });
      await this.readBack();
    }
    await Promise.all(this.hashing.splice(0));
    if (this.verifiers.length > 0) {
      this.dispatch({ type: 'status', status: 'verifying' });
      const digests = await Promise.all(this.verifiers.map((v) => v.session.digest()));
      this.compareDigests(
        this.verifiers.map((v) => v.type),
        digests,
      );
    }
    const result = await this.sink!.close(this.meta!.contentType);
    // Canceled while closing (a staged copy takes seconds): `discard` empties what was committed. A pause
    // that came meanwhile is overtaken: nothing is left to download.
    if (this.lifetime.signal.aborted) throw abortError(this.lifetime.signal.reason);
    if (this.checkAfterClose.length > 0) {
      // A mismatch (or a cancel) from here on empties the closed file: see `DownloadSink.closedFile`.
      this.dispatch({ type: 'status', status: 'verifying' });
      const file = await this.sink!.closedFile!();
      const hash = this.deps.hashBlob ?? ((blob, type, s) => computeChecksum(blob, type, { signal: s }));
      const digests = await Promise.all(this.checkAfterClose.map((type) => hash(file, type, signal)));
      this.compareDigests(this.checkAfterClose, digests);
    }
    this.dispatch({ type: 'done' });
    this.resolveDone(result);
  }

  private compareDigests(types: ChecksumType[], digests: string[]): void {
    if (digests.includes(this.meta!.checksum)) return;
    throw new ObjectStoreError(
      'CHECKSUM_MISMATCH',
      `The downloaded bytes do not match the object's ${types.join(' or ')} checksum (expected ${this.meta!.checksum}, got ${digests.join(' / ')}).`,
      { retryable: false },
    );
  }

  /** `meta.size` is checked already: the sink was fitted to it. */
  private prepare(meta: ObjectReference): void {
    this.meta = meta;
    const types = this.verify ? checksumTypesFor(meta) : [];
    if (this.verify && types.length === 0)
      throw new ObjectStoreError(
        'BACKEND',
        `Cannot verify "${this.key}": its metadata has no checksum of a known type. Pass \`verify: false\` to skip the check.`,
        { retryable: false },
      );
    const sink = this.sink!;
    const canFetch = this.deps.transport.plainFetch === true && sink.fetch !== undefined;
    // Read back as written where the file allows it; else hash the closed file, still no body on the page.
    this.checkAfterClose =
      canFetch && types.length > 0 && !sink.read && sink.closedFile !== undefined ? types : [];
    this.sinkFetches =
      canFetch && (types.length === 0 || sink.read !== undefined || this.checkAfterClose.length > 0);
    if (this.checkAfterClose.length === 0) {
      const factory = this.deps.createChecksumSession ?? createChecksumSession;
      this.verifiers = types.map((type) => ({
        type,
        session: factory(type, { signal: this.lifetime.signal }),
      }));
    }
    const inOrder: Array<(chunk: Uint8Array) => Promise<void>> = [];
    // A target that keeps its chunks (a WritableStream) is written after the last digest, with the bytes the
    // digest hands back: giving it the chunk and the digest a copy made a MiB of garbage per MiB.
    const writeAfterDigest = !sink.positional && sink.keepsChunks === true && this.verifiers.length > 0;
    if (!sink.positional && !writeAfterDigest)
      inOrder.push(async (chunk) => void (await sink.write(chunk, 0)));
    let writes: Promise<void> = Promise.resolve();
    // A session may transfer the chunk's buffer to its worker, detaching it: every session but the last
    // gets a copy.
    this.verifiers.forEach(({ session }, index) => {
      const last = index === this.verifiers.length - 1;
      inOrder.push(async (chunk) => {
        const back = session.update(last ? chunk : chunk.slice());
        let step: Promise<void>;
        if (last && writeAfterDigest) {
          // In order: each write waits for the one before it, and for its own bytes to come back.
          writes = writes.then(() => back).then(async (bytes) => void (await sink.write(bytes, 0)));
          step = writes;
        } else {
          // The digest holds the last reference to what comes back: a copy, or a chunk the sink has written
          // (a positional sink) or copied (a Blob) before this step. Refilled instead of left to the collector.
          step = back.then((bytes) => this.recycle(bytes.buffer));
        }
        // Observed when it leaves the window or before the digest; not an unhandled rejection meanwhile.
        step.catch(() => {});
        this.hashing.push(step);
        while (this.hashing.length > HASH_WINDOW * this.verifiers.length) await this.hashing.shift();
      });
    });
    this.digest =
      inOrder.length === 0
        ? undefined
        : async (chunk) => {
            for (const step of inOrder) await step(chunk);
          };
    this.hashedTo = 0;
    // Read back from the file, the digest needs no reordering in memory.
    this.feed =
      this.digest && !this.sinkFetches
        ? new OrderedFeed(this.digest, this.parallel * this.segmentSize)
        : undefined;
    const span = this.requestSize(meta.size);
    this.segments = [];
    for (let start = 0; start < meta.size; start += span)
      this.segments.push({ start, end: Math.min(meta.size, start + span), received: 0 });
    this.dispatch({ type: 'metadata', total: meta.size });
  }

  /**
   * Bytes per GET. Each request costs Chromium tens of milliseconds before its body flows at full speed
   * (1 GiB in 8 MiB ranges ran at half the speed of one plain fetch, in 64 MiB ranges at full speed).
   * When nothing reads in order from memory (a positional target with no check, or a check that reads the
   * written file back) and the caller left `segmentSize` alone,
   * the object is split into `parallel` ranges of at most MAX_REQUEST_SIZE: memory does not depend on
   * it (bodies are read into 1 MiB buffers) and a drop resumes from the last byte all the same.
   * An in-order reader keeps `segmentSize` ranges: it holds up to `parallel × segmentSize` out of order.
   */
  private requestSize(size: number): number {
    if (this.feed || this.options.segmentSize !== undefined) return this.segmentSize;
    const share = Math.ceil(size / this.parallel);
    // Each GET a worker makes holds memory until that worker's collector runs. 1 GiB into OPFS, renderer growth
    // per run (medians of 3–5 runs, `npm run bench:download`): 16 ranges 56–65 MiB verify off, 62–69 on;
    // 4 ranges 43–65 off, 45–56 on. One per lane.
    if (this.sinkFetches) return Math.max(this.segmentSize, share);
    return Math.min(MAX_REQUEST_SIZE, Math.max(this.segmentSize, share));
  }

  /** The object was replaced: start over from its metadata, dropping everything of the old version. */
  private async forgetVersion(): Promise<void> {
    for (const { session } of this.verifiers) session.abort();
    this.verifiers = [];
    this.checkAfterClose = [];
    this.hashing = [];
    this.meta = undefined;
    this.url = undefined;
    this.etag = undefined;
    this.etagChecked = false;
    this.wholeBody = false;
    this.feed = undefined;
    this.digest = undefined;
    this.hashedTo = 0;
    this.segments = [];
    this.loaded = 0;
    await this.sink!.reset();
    this.reportProgress();
  }

  private async discard(reason: unknown): Promise<void> {
    for (const { session } of this.verifiers) session.abort();
    if (this.sink) await this.sink.abort(reason);
    // Still opening (a save picker the user has not answered): undo once it opens, without waiting for it.
    else void this.sinkOpening.then((sink) => sink.abort(reason)).catch(() => {});
  }

  private async presign(signal: AbortSignal): Promise<PresignedUrlResponse> {
    const url = await this.callBackend(
      `createDownloadUrl("${this.key}")`,
      () => this.deps.backend.createDownloadUrl(this.key, { cdn: this.options.cdn, signal }),
      signal,
    );
    if (!url) throw new ObjectStoreError('NOT_FOUND', `No object under "${this.key}".`, { status: 404 });
    return url;
  }

  /** One fresh URL however many segments found theirs expired. */
  private async refreshUrl(expired: PresignedUrlResponse, signal: AbortSignal): Promise<void> {
    if (this.url !== expired) return;
    this.urlRefresh ??= this.presign(signal)
      .then((url) => {
        this.url = url;
      })
      .finally(() => {
        this.urlRefresh = undefined;
      });
    await this.urlRefresh;
  }

  private callBackend<T>(what: string, call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return withRetry(call, { retry: this.deps.retry, gate: this.gate, signal, what });
  }

  private async fetchAll(signal: AbortSignal): Promise<void> {
    const lanes = new AbortController();
    const laneSignal = AbortSignal.any([signal, lanes.signal]);
    const taken = new Set<Segment>();
    let failure: { error: unknown } | undefined;
    const ramps = this.rampsLanes();
    let splits = ramps;
    const take = async (): Promise<Segment | undefined> => {
      const segment = this.segments.find((s) => !taken.has(s)) ?? (splits ? await this.split() : undefined);
      if (segment) taken.add(segment);
      return segment;
    };
    const lane = async () => {
      while (!failure) {
        const segment = await take();
        if (!segment || failure) return;
        try {
          await this.fetchSegment(segment, laneSignal);
        } catch (error) {
          failure ??= { error };
          lanes.abort();
          return;
        }
      }
    };
    const running: Promise<void>[] = [];
    let active = 0;
    const open = () => {
      active++;
      running.push(lane().finally(() => active--));
    };
    if (ramps) {
      // Once every range is taken, a lane takes the second half of the largest one under way: a lane the
      // ramp opens late still has work, and none sits idle while another finishes a long range alone.
      const count = this.parallel;
      const ramp = createLaneRamp({ now: this.now });
      this.widen = {
        busy: (busyMs) => {
          if (active >= count || failure || !ramp.record(busyMs)) return;
          open();
          ramp.restart();
        },
        newBody: (response) => {
          // Without `no-store`, Chromium reads each body into the page ahead of the worker whatever it does
          // (see DOWNLOAD_CACHE_CONTROL): one GET at a time held up to a whole range there, 1 GiB verify on
          // grew the renderer by 47–200 MiB (4 runs), against 28–74 with all GETs at once (4 runs before).
          if (!isNoStore(response.headers.get('cache-control'))) {
            // Nor any split: each GET more is another body read ahead. 1 GiB verify on grew the renderer by
            // 72 and 122 MiB with splits (2 runs of `npm run bench:download`), 30–75 without (4 runs).
            splits = false;
            while (active < count && !failure) open();
            return;
          }
          ramp.newBody();
        },
      };
      open();
    } else {
      const count = this.wholeBody ? 1 : Math.min(this.parallel, this.segments.length);
      for (let i = 0; i < count; i++) open();
    }
    try {
      // Lanes the ramp opens join the list while earlier ones run.
      for (let i = 0; i < running.length; i++) await running[i];
    } finally {
      this.widen = undefined;
    }
    if (signal.aborted) throw abortError(signal.reason);
    if (!failure) return;
    if (!(failure.error instanceof WholeBodyAnswer)) throw failure.error;
    // The server ignores Range: one body from byte 0, skipping what we already have.
    const received = this.contiguousReceived();
    this.wholeBody = true;
    this.feed?.dropPending();
    this.segments = [{ start: 0, end: this.meta!.size, received }];
    this.loaded = received;
    this.reportProgress();
    await this.fetchSegment(this.segments[0]!, signal, failure.error.response);
  }

  /**
   * Whether GETs open one at a time, more only while the writer waits for the network (see `LaneRamp`): when
   * the sink writes the bodies itself and the caller left `parallel` and `segmentSize` alone (ranges are then
   * large, so each lane has time to be judged). Either one set is kept as given.
   */
  private rampsLanes(): boolean {
    const { parallel, segmentSize } = this.options;
    // A server that ignores Range sends one body: nothing to ramp or split.
    return this.sinkFetches && !this.wholeBody && parallel === undefined && segmentSize === undefined;
  }

  /**
   * Moves the end of the range under way with the most bytes left to its middle (see `splitPoint`), and
   * returns the rest as a new range placed after it. One split at a time: each one sees the ranges as the
   * last one left them.
   */
  private split(): Promise<Segment | undefined> {
    const next = this.splitting.then(() => this.splitOnce());
    this.splitting = next.catch(() => undefined);
    return next;
  }

  private async splitOnce(): Promise<Segment | undefined> {
    let largest: { segment: Segment; response: SinkResponse; left: number } | undefined;
    for (const [segment, response] of this.piping) {
      const left = segment.end - segment.start - segment.received;
      // A 200 is the whole object from byte 0: a server that ignores Range would answer the new GET so too.
      if (response.status === 206 && response.shorten && left > (largest?.left ?? 0))
        largest = { segment, response, left };
    }
    if (!largest) return undefined;
    const { segment, response } = largest;
    const at = splitPoint(segment.start + segment.received, segment.end, {
      minPiece: this.deps.minSplitPiece ?? MIN_SPLIT_PIECE,
      align: WRITE_SIZE,
    });
    if (at === undefined) return undefined;
    const end = segment.end;
    // The pipe ends where the worker says, which is past `at` if it read past it already. Its last bytes
    // are reported after this answer (messages keep their order), so `segment.end` moves first.
    const stop = await response.shorten!(at).catch(() => undefined);
    if (stop === undefined || stop >= end) return undefined;
    // Only lanes split, and a run awaits its lanes before it replaces the plan: `segment` is still in it.
    segment.end = stop;
    const rest: Segment = { start: stop, end, received: 0 };
    this.segments.splice(this.segments.indexOf(segment) + 1, 0, rest);
    return rest;
  }

  /** Bytes from 0 with no gap: what a single body would not need to deliver again. */
  private contiguousReceived(): number {
    let offset = 0;
    for (const segment of this.segments) {
      if (segment.start !== offset) break;
      offset += segment.received;
      if (segment.start + segment.received < segment.end) break;
    }
    return offset;
  }

  private async fetchSegment(
    segment: Segment,
    signal: AbortSignal,
    first?: TransportResponse,
  ): Promise<void> {
    let pending = first;
    let expired: PresignedUrlResponse | undefined;
    let whole: WholeBodyAnswer | undefined;
    try {
      await withRetry(
        async (attempt) => {
          if (expired) await this.refreshUrl(expired, signal);
          expired = undefined;
          const from = segment.start + segment.received;
          if (from >= segment.end) return;
          const url = this.url!;
          try {
            const response = pending ?? (await this.request(url, from, segment.end, signal));
            pending = undefined;
            await this.readResponse(response, segment, signal);
            if (segment.start + segment.received < segment.end)
              throw new ObjectStoreError('NETWORK', 'The connection closed before the range was complete.');
          } catch (error) {
            // Bytes kept are bytes the next attempt does not ask for: a drop after progress is a fresh start.
            if (segment.start + segment.received > from) attempt.madeProgress();
            if (error instanceof WholeBodyAnswer) {
              whole = error;
              throw new ObjectStoreError('BACKEND', 'The server ignores Range.', { retryable: false });
            }
            if (isObjectStoreError(error) && error.code === 'URL_EXPIRED') expired = url;
            throw error;
          }
        },
        {
          retry: this.deps.retry,
          gate: this.gate,
          signal,
          what: `GET "${this.key}"`,
          // A URL that expired mid-download is renewed at once: the failure says nothing about the network.
          recover: (error) => error.code === 'URL_EXPIRED',
        },
      );
    } catch (error) {
      if (whole) throw whole;
      throw error;
    }
  }

  private async request(
    url: PresignedUrlResponse,
    from: number,
    end: number,
    signal: AbortSignal,
  ): Promise<TransportResponse> {
    let probing = false;
    while (!this.etagChecked && this.probe) await this.probe;
    if (!this.etagChecked) probing = true;
    let endProbe = () => {};
    if (probing) this.probe = new Promise((resolve) => (endProbe = resolve));
    try {
      const headers: Record<string, string> = { ...url.headers, range: `bytes=${from}-${end - 1}` };
      // If-Range needs a strong validator; a weak one would make every answer a full 200.
      if (this.etag && !this.etag.startsWith('W/')) headers['if-range'] = this.etag;
      const response = this.sinkFetches
        ? await this.sink!.fetch!({ url: url.url, headers }, signal)
        : await this.deps.transport.send({ method: 'GET', url: url.url, headers, signal });
      if (response.status === 200 || response.status === 206) this.checkEtag(response);
      return response;
    } finally {
      if (probing) {
        this.probe = undefined;
        endProbe();
      }
    }
  }

  private checkEtag(response: TransportResponse): void {
    const etag = response.headers.get('etag') ?? undefined;
    if (!this.etagChecked) {
      this.etagChecked = true;
      this.etag = etag;
    } else if (etag !== undefined && this.etag !== undefined && etag !== this.etag) {
      discardBody(response);
      throw objectChanged(`its ETag went from ${this.etag} to ${etag}`);
    }
  }

  private async readResponse(
    response: TransportResponse,
    segment: Segment,
    signal: AbortSignal,
  ): Promise<void> {
    const size = this.meta!.size;
    const from = segment.start + segment.received;
    let bodyStart: number;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.total !== undefined && range.total !== size) {
        discardBody(response);
        throw objectChanged(`its size went from ${size} to ${range.total} bytes`);
      }
      if (!range || range.start !== from) {
        discardBody(response);
        throw new ObjectStoreError(
          'BACKEND',
          `Asked for bytes from ${from}, the server sent ${response.headers.get('content-range')}.`,
          { retryable: false },
        );
      }
      bodyStart = from;
    } else if (response.status === 200) {
      const length = response.headers.get('content-length');
      if (length !== null && Number(length) !== size) {
        discardBody(response);
        throw objectChanged(`its size went from ${size} to ${length} bytes`);
      }
      const coversAll = this.wholeBody || (segment.start === 0 && segment.end === size && from === 0);
      if (!coversAll) throw new WholeBodyAnswer(response);
      bodyStart = 0;
    } else if (response.status === 412 || response.status === 416) {
      discardBody(response);
      throw objectChanged(`the server answered ${response.status} to a range of the version we started`);
    } else {
      throw errorFromResponse(response.status, await response.text(), response.headers);
    }
    await this.readBody(response, bodyStart, segment, signal);
  }

  /** Streams a body into the sink, skipping bytes before the segment's next one and after its end. */
  private async readBody(
    response: TransportResponse,
    bodyStart: number,
    segment: Segment,
    signal: AbortSignal,
  ): Promise<void> {
    if (isSinkResponse(response)) return this.pipeInSink(response, bodyStart, segment, signal);
    if (!response.body) throw new ObjectStoreError('BACKEND', 'The download answer has no body stream.');
    const reader = openBodyReader(response.body, signal, this.deps.stallTimeoutMs ?? STALL_TIMEOUT_MS);
    const from = segment.start + segment.received;
    // One write in flight per lane: the next buffer fills while the previous one is written. Awaiting
    // each write before reading on left the connection idle for a round trip to the writer every MiB.
    let writing: Promise<void> | undefined;
    try {
      await pipeBody(
        reader,
        { bodyStart, from, end: segment.end },
        this.takeBuffer(segment.end - from),
        async (bytes, at, left) => {
          await writing;
          writing = this.deliver(segment, at, bytes, signal);
          // Observed by the next piece or at the end; not an unhandled rejection meanwhile.
          writing.catch(() => {});
          // The written buffer comes back through `recycle` once nothing refers to it any more.
          return left > 0 ? this.takeBuffer(left) : undefined;
        },
        // `deliver` counts what is written, once it is.
        () => {},
        (read) => {
          this.fetched += read;
        },
      );
    } finally {
      await writing;
    }
  }

  /** The sink writes the body itself; the page only counts what was written. */
  private async pipeInSink(
    response: SinkResponse,
    bodyStart: number,
    segment: Segment,
    signal: AbortSignal,
  ): Promise<void> {
    const range = {
      bodyStart,
      from: segment.start + segment.received,
      end: segment.end,
      stallMs: this.deps.stallTimeoutMs ?? STALL_TIMEOUT_MS,
    };
    this.piping.set(segment, response);
    try {
      const piped = response.pipe(
        range,
        (written, fetched, busyMs) => {
          this.fetched += fetched;
          if (busyMs !== undefined) this.widen?.busy(busyMs);
          if (written === 0) return;
          segment.received += written;
          this.loaded += written;
          this.reportProgress();
        },
        signal,
      );
      // After `pipe` is under way: a split this may start finds the pipe to shorten.
      this.widen?.newBody(response);
      await piped;
    } finally {
      this.piping.delete(segment);
    }
  }

  /**
   * Feeds the digest the written file from `hashedTo` on, read back from the sink a buffer at a time. Called
   * once every byte is written, by the run that wrote them (a resumed run starts after a paused one ends).
   */
  private async readBack(): Promise<void> {
    const size = this.meta!.size;
    // A few reads ahead, so the digest does not wait for each answer of the worker.
    const ahead: Array<{ length: number; read: Promise<Uint8Array<ArrayBuffer>> }> = [];
    let requestedTo = this.hashedTo;
    for (;;) {
      while (ahead.length < READ_AHEAD && requestedTo < size) {
        const length = Math.min(WRITE_SIZE, size - requestedTo);
        // A whole buffer moves to the digest's worker and back; a part of one would be copied.
        const into = new Uint8Array(
          length === WRITE_SIZE ? this.takeBuffer(WRITE_SIZE) : new ArrayBuffer(length),
        );
        const read = this.sink!.read!(requestedTo, into);
        read.catch(() => {});
        ahead.push({ length, read });
        requestedTo += length;
      }
      const next = ahead.shift();
      if (!next) return;
      const chunk = await next.read;
      if (chunk.byteLength !== next.length)
        throw new ObjectStoreError('INVALID_INPUT', 'The file holds fewer bytes than were written to it.', {
          retryable: false,
        });
      this.hashedTo += next.length;
      await this.digest!(chunk);
    }
  }

  /** A buffer for the next write: a recycled one (always WRITE_SIZE), else one no larger than what is left to read. */
  private takeBuffer(left: number): ArrayBuffer {
    return this.spare.pop() ?? new ArrayBuffer(Math.max(1, Math.min(WRITE_SIZE, left)));
  }

  /** Hands a buffer back once nothing refers to it any more (the feed consumed it into the digest). */
  private recycle(buffer: ArrayBufferLike): void {
    if (
      buffer instanceof ArrayBuffer &&
      buffer.byteLength === WRITE_SIZE &&
      this.spare.length < 2 * this.parallel
    )
      this.spare.push(buffer);
  }

  private async deliver(segment: Segment, position: number, bytes: Uint8Array, signal: AbortSignal) {
    // Wait first: out-of-order bytes held for the in-order consumers stay under parallel × segmentSize.
    // Read the length first: a sink that takes the buffer detaches `bytes` (its length then reads 0).
    const length = bytes.byteLength;
    let paused: unknown;
    try {
      await this.feed?.waitForRoom(position, length, signal);
    } catch (error) {
      // Paused or canceled while waiting: keep these bytes anyway (one buffer per lane), not fetch them again.
      if (!signal.aborted) throw error;
      paused = error;
    }
    // The sink may move the buffer to its worker: the bytes come back with it, for the feed or the pool.
    let chunk = bytes;
    if (this.sink!.positional) chunk = (await this.sink!.write(bytes, position, { transfer: true })) ?? bytes;
    if (this.feed) this.feed.insert(position, chunk);
    else this.recycle(chunk.buffer);
    segment.received += length;
    this.loaded += length;
    this.reportProgress();
    if (paused) throw paused;
  }

  private reportProgress(): void {
    const bytesPerSecond = this.speed.sample(this.loaded, this.now());
    this.dispatch({ type: 'progress', loaded: this.loaded, fetched: this.fetched, bytesPerSecond });
  }
}

/**
 * Starts downloading `key`: metadata, a pre-signed URL, then ranged GETs of `segmentSize`, `parallel` at
 * a time, each resuming from its last byte after a drop, with `If-Range` so two versions are never spliced.
 * Throws `INVALID_INPUT` at once for bad options; everything later rejects `task.done`.
 */
export function createDownloadTask(
  deps: DownloadDeps,
  key: string,
  options: DownloadOptions = {},
): DownloadTask {
  validateDownload(key, options);
  return new DownloadTaskImpl(deps, key, options);
}
