import { abortError } from '../errors';

/**
 * Turns chunks arriving at any offset into one in-order stream for a consumer (a digest, a sink
 * that only appends). Chunks are taken at once; `waitForRoom` is the backpressure: it holds a
 * producer while more than `limit` bytes wait out of order. The chunk at the frontier always drains,
 * so producers ahead of it wait only for bytes that are already coming.
 */
export class OrderedFeed {
  /** Offset of the next byte the consumer has not been given. */
  private next = 0;
  private buffered = 0;
  private readonly pending = new Map<number, Uint8Array>();
  private running = false;
  private failure: { error: unknown } | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly consume: (chunk: Uint8Array) => Promise<void>,
    private readonly limit: number,
  ) {}

  /** Bytes held in memory, waiting for the consumer or for the bytes before them. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  insert(offset: number, chunk: Uint8Array): void {
    if (this.failure) return;
    let start = offset;
    let bytes = chunk;
    if (start < this.next) {
      // Bytes the consumer already has (a body re-read from 0 after the server ignored Range).
      if (start + bytes.byteLength <= this.next) return;
      bytes = bytes.subarray(this.next - start);
      start = this.next;
    }
    if (bytes.byteLength === 0) return;
    this.pending.set(start, bytes);
    this.buffered += bytes.byteLength;
    void this.pump();
  }

  /** Drops what waits out of order: the producers will deliver those bytes again. */
  dropPending(): void {
    for (const bytes of this.pending.values()) this.buffered -= bytes.byteLength;
    this.pending.clear();
    this.wake();
  }

  /**
   * Resolves once `length` more bytes at `offset` fit under the limit, or at once when they continue the
   * in-order run (they drain without waiting for anything else). Rejects if the consumer failed or
   * `signal` fired. Call it before `insert`.
   */
  waitForRoom(offset: number, length: number, signal?: AbortSignal): Promise<void> {
    return this.waitUntil(() => offset <= this.runEnd() || this.buffered + length <= this.limit, signal);
  }

  /** End of the bytes that drain without a gap: the consumer's offset, then the contiguous pending chunks. */
  private runEnd(): number {
    let end = this.next;
    for (let chunk = this.pending.get(end); chunk; chunk = this.pending.get(end)) end += chunk.byteLength;
    return end;
  }

  /** Resolves once every byte up to `end` has been consumed. */
  consumedTo(end: number, signal?: AbortSignal): Promise<void> {
    return this.waitUntil(() => this.next >= end && this.buffered === 0 && !this.running, signal);
  }

  private waitUntil(ready: () => boolean, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) finish(() => reject(this.failure?.error));
        else if (signal?.aborted) finish(() => reject(abortError(signal.reason)));
        else if (ready()) finish(resolve);
        else return false;
        return true;
      };
      const onAbort = () => check();
      const finish = (settle: () => void) => {
        signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        settle();
      };
      const waiter = () => void check();
      if (check()) return;
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let chunk = this.pending.get(this.next); chunk; chunk = this.pending.get(this.next)) {
        // Read the length first: the consumer may transfer the chunk's buffer, detaching it.
        const length = chunk.byteLength;
        this.pending.delete(this.next);
        this.next += length;
        await this.consume(chunk);
        this.buffered -= length;
        this.wake();
      }
    } catch (error) {
      this.failure = { error };
      this.pending.clear();
    } finally {
      this.running = false;
      this.wake();
    }
  }
}
