import { abortError } from '../core/errors';
import { type ChecksumConfig, DEFAULT_IDLE_TIMEOUT_MS, defaultPoolSize } from './config';
import type { FromWorker, ToWorker } from './protocol';

/** How long an aborted job may take to answer before its worker is ended instead of reused. */
const ABORT_GRACE_MS = 10_000;

/** A worker that has not said `ready` by then is not running our script (a wrong `createWorker`). */
const START_TIMEOUT_MS = 30_000;

export interface PooledWorker {
  worker: Worker;
  idleTimer?: ReturnType<typeof setTimeout>;
  listener?: (message: FromWorker) => void;
  onCrash?: (error: Error) => void;
}

type Waiter = (worker: PooledWorker | null) => void;

function defaultCreateWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  // Exactly this form, so Vite (ours and a consuming app's) emits the worker as its own file.
  return new Worker(new URL('./checksum.worker.ts', import.meta.url), { type: 'module' });
}

/** Resolves with the worker once its script has loaded, or null when it cannot start. */
function startWorker(create: () => Worker | undefined): Promise<Worker | null> {
  let worker: Worker | undefined;
  try {
    worker = create();
  } catch (error) {
    warnOnce(error);
    return Promise.resolve(null);
  }
  if (!worker) return Promise.resolve(null);
  const started = worker;
  return new Promise((resolve) => {
    const fail = (reason: unknown) => {
      clearTimeout(timer);
      started.terminate();
      warnOnce(reason);
      resolve(null);
    };
    const timer = setTimeout(() => fail('the worker did not start in time'), START_TIMEOUT_MS);
    started.onmessage = (event: MessageEvent<FromWorker>) => {
      if (event.data.kind !== 'ready') return;
      clearTimeout(timer);
      resolve(started);
    };
    started.onerror = (event) => {
      event.preventDefault();
      fail(event.message || 'the worker script failed to load');
    };
  });
}

let warned = false;
function warnOnce(reason: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(
    'objectdrop: the checksum worker could not start, so checksums run on the main thread. ' +
      'See configureChecksums({ createWorker }) for sites whose Content-Security-Policy blocks it.',
    reason,
  );
}

/** Lazily started module workers, one job each; idle ones end after `idleTimeoutMs`. */
export class WorkerPool {
  private readonly idle: PooledWorker[] = [];
  private readonly waiters: Waiter[] = [];
  private live = 0;
  private unavailable = false;

  constructor(private config: ChecksumConfig = {}) {}

  configure(config: ChecksumConfig): void {
    this.config = { ...this.config, ...config };
    if (config.createWorker) this.unavailable = false;
    this.drainWaiters();
  }

  get size(): number {
    return Math.max(1, Math.floor(this.config.poolSize ?? defaultPoolSize()));
  }

  /** Live workers, idle or busy; for tests. */
  get workerCount(): number {
    return this.live;
  }

  /** A worker for one job, or null where no worker can run (then hash in the calling thread). */
  acquire(signal?: AbortSignal): Promise<PooledWorker | null> {
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    if (this.unavailable) return Promise.resolve(null);
    const idle = this.idle.pop();
    if (idle) {
      clearTimeout(idle.idleTimer);
      return Promise.resolve(idle);
    }
    if (this.live < this.size) return this.create();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = (worker) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(worker);
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Up to `count` more workers that are free now or can be started; never waits behind other jobs. */
  async tryAcquire(count: number): Promise<PooledWorker[]> {
    if (count <= 0 || this.unavailable || this.waiters.length > 0) return [];
    const taken = this.idle.splice(Math.max(0, this.idle.length - count));
    for (const pooled of taken) clearTimeout(pooled.idleTimer);
    const startable = Math.max(0, Math.min(count - taken.length, this.size - this.live));
    const started = await Promise.all(Array.from({ length: startable }, () => this.create()));
    return [...taken, ...started.filter((pooled) => pooled !== null)];
  }

  release(pooled: PooledWorker): void {
    pooled.listener = undefined;
    pooled.onCrash = undefined;
    if (this.live > this.size) {
      this.discard(pooled);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(pooled);
      return;
    }
    pooled.idleTimer = setTimeout(() => {
      const index = this.idle.indexOf(pooled);
      if (index >= 0) this.idle.splice(index, 1);
      this.discard(pooled);
    }, this.config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.idle.push(pooled);
  }

  /** Ends a worker that crashed, hung or is no longer wanted. */
  discard(pooled: PooledWorker): void {
    clearTimeout(pooled.idleTimer);
    pooled.worker.terminate();
    this.live -= 1;
    this.drainWaiters();
  }

  /** Ends every idle worker now (tests, or an app going to the background). */
  terminateIdle(): void {
    for (const pooled of this.idle.splice(0)) this.discard(pooled);
  }

  private drainWaiters(): void {
    while (this.waiters.length > 0 && (this.unavailable || this.live < this.size)) {
      const waiter = this.waiters.shift()!;
      if (this.unavailable) waiter(null);
      else void this.create().then(waiter);
    }
  }

  private async create(): Promise<PooledWorker | null> {
    this.live += 1;
    const worker = await startWorker(this.config.createWorker ?? defaultCreateWorker);
    if (!worker) {
      this.live -= 1;
      this.unavailable = true;
      this.drainWaiters();
      return null;
    }
    const pooled: PooledWorker = { worker };
    worker.onmessage = (event: MessageEvent<FromWorker>) => pooled.listener?.(event.data);
    const crash = (reason: string) => {
      const onCrash = pooled.onCrash;
      this.discard(pooled);
      onCrash?.(new Error(reason));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      crash(event.message || 'The checksum worker failed.');
    };
    worker.onmessageerror = () => crash('The checksum worker could not read a message.');
    return pooled;
  }
}

let nextJobId = 1;

/** One job on one pooled worker: routes its replies, and gives the worker back when the job is over. */
export class WorkerJob {
  readonly id = nextJobId++;
  private over = false;
  private killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pool: WorkerPool,
    private readonly pooled: PooledWorker,
    onMessage: (message: FromWorker) => void,
    onCrash: (error: Error) => void,
  ) {
    pooled.listener = (message) => {
      if (!('id' in message) || message.id !== this.id) return;
      if (
        message.kind === 'done' ||
        message.kind === 'done-many' ||
        message.kind === 'aborted' ||
        message.kind === 'error'
      )
        this.end();
      onMessage(message);
    };
    pooled.onCrash = (error) => {
      this.over = true;
      clearTimeout(this.killTimer);
      onCrash(error);
    };
  }

  post(message: ToWorker, transfer?: Transferable[]): void {
    if (!this.over) this.pooled.worker.postMessage(message, transfer ?? []);
  }

  /** Asks the worker to stop; it is reused once it confirms, or ended if it does not. */
  abort(): void {
    if (this.over || this.killTimer) return;
    this.post({ kind: 'abort', id: this.id });
    this.killTimer = setTimeout(() => {
      if (this.over) return;
      this.over = true;
      this.pool.discard(this.pooled);
    }, ABORT_GRACE_MS);
  }

  private end(): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.killTimer);
    this.pool.release(this.pooled);
  }
}

let shared: WorkerPool | undefined;

/** The pool every checksum shares, made on first use (never at module load). */
export function sharedPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}
