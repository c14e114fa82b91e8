import { abortError, ObjectStoreError } from '../errors';
import type { Transport, TransportRequest, TransportResponse } from '../transport/types';

/** A request the test answers by hand (tus-js-client's `TestHttpStack` idea). */
export interface ScriptedRequest extends TransportRequest {
  respond(status: number, body?: string, headers?: Record<string, string>): void;
  /** Reports `loaded` bytes of the body as sent. */
  progress(loaded: number): void;
  /** Rejects as a lost connection (`NETWORK`) unless given another error. */
  fail(error?: ObjectStoreError): void;
  readonly aborted: boolean;
  readonly settled: boolean;
}

export interface ScriptedTransport extends Transport {
  /** The next request sent (waits for it). */
  next(): Promise<ScriptedRequest>;
  readonly requests: readonly ScriptedRequest[];
  readonly inFlight: number;
  readonly maxInFlight: number;
}

export function createScriptedTransport(): ScriptedTransport {
  const requests: ScriptedRequest[] = [];
  const unclaimed: ScriptedRequest[] = [];
  const waiters: Array<(request: ScriptedRequest) => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;

  return {
    send(request) {
      if (request.signal?.aborted) return Promise.reject(abortError(request.signal.reason));
      return new Promise<TransportResponse>((resolve, reject) => {
        let settled = false;
        let aborted = false;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const settle = () => {
          if (settled) return false;
          settled = true;
          inFlight -= 1;
          request.signal?.removeEventListener('abort', onAbort);
          return true;
        };
        const onAbort = () => {
          if (!settle()) return;
          aborted = true;
          reject(abortError(request.signal?.reason));
        };
        request.signal?.addEventListener('abort', onAbort, { once: true });
        const scripted: ScriptedRequest = {
          ...request,
          respond(status, body = '', headers = {}) {
            if (!settle()) return;
            resolve({ status, headers: new Headers(headers), body: null, text: async () => body });
          },
          progress(loaded) {
            if (!settled) request.onUploadProgress?.(loaded, request.body?.size ?? 0);
          },
          fail(error = new ObjectStoreError('NETWORK', 'The connection was lost.')) {
            if (settle()) reject(error);
          },
          get aborted() {
            return aborted;
          },
          get settled() {
            return settled;
          },
        };
        requests.push(scripted);
        const waiter = waiters.shift();
        if (waiter) waiter(scripted);
        else unclaimed.push(scripted);
      });
    },
    next() {
      const ready = unclaimed.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => waiters.push(resolve));
    },
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}
