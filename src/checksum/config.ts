/** Options of the checksum worker pool. Read when a worker is next needed; already running jobs keep going. */
export interface ChecksumConfig {
  /**
   * How many files hash at once, one per worker.
   * Default `min(navigator.hardwareConcurrency, 4)` (2 where the browser does not say).
   */
  poolSize?: number;
  /** A worker with nothing to do for this long is ended; the next job starts a new one. Default 15000 ms. */
  idleTimeoutMs?: number;
  /**
   * Makes one checksum worker. By default objectdrop starts its own module worker
   * (`new Worker(new URL('./checksum.worker.js', import.meta.url), { type: 'module' })`), which your
   * bundler emits as a separate file next to the code that loads it. It is not a `blob:` or `data:` URL,
   * so a CSP that forbids those still allows it as long as `worker-src` (or `script-src`) allows the
   * file's origin, usually `'self'`. Pass this when that cannot work: a Content-Security-Policy that only
   * allows worker scripts under some path (copy the worker file there), an app whose assets are served
   * from another path than the code expects, or to reuse a worker built by your own pipeline. Browsers
   * only start workers from the page's own origin. The function must return a module worker running
   * objectdrop's `checksum.worker` script (in the package: `dist/assets/checksum.worker-*.js`), e.g.
   * `() => new Worker('/static/objectdrop-checksum.worker.js', { type: 'module' })`.
   * If the worker cannot start (blocked, 404), checksums are computed on the calling thread instead,
   * with the same results, and a warning is logged once.
   */
  createWorker?: () => Worker;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
export const MAX_DEFAULT_POOL_SIZE = 4;

export function defaultPoolSize(): number {
  const cores = globalThis.navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(cores && cores > 0 ? cores : 2, MAX_DEFAULT_POOL_SIZE));
}
