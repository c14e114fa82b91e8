/** Messages between `openWorkerSink` and its worker. */
export type WriterRequest =
  /** Through a sync access handle (origin-private files only), or with `stream`, through `createWritable()`. */
  | { id: number; op: 'open'; handle: FileSystemFileHandle; stream?: boolean }
  | { id: number; op: 'write'; position: number; bytes: Uint8Array<ArrayBuffer> }
  /** Fills `bytes` from the file at `position`; the buffer comes back with the count read. */
  | { id: number; op: 'read'; position: number; bytes: Uint8Array<ArrayBuffer> }
  | { id: number; op: 'truncate'; size: number }
  | { id: number; op: 'close' }
  | { id: number; op: 'abort' }
  /** A GET made by the worker: the reply carries the head, the body waits under this `id`. */
  | { id: number; op: 'fetch'; url: string; headers: Record<string, string> }
  | { id: number; op: 'text'; fetchId: number }
  /** Writes the body of `fetchId` from `from` (absolute) to `end`; the body's first byte is `bodyStart`. */
  | {
      id: number;
      op: 'pipe';
      fetchId: number;
      bodyStart: number;
      from: number;
      end: number;
      stallMs: number;
    }
  | { id: number; op: 'discard'; fetchId: number }
  /** The pipe of `fetchId` stops at `end` instead, or as soon after as what it already read allows. */
  | { id: number; op: 'shorten'; fetchId: number; end: number };

export type WriterReply =
  | {
      id: number;
      ok: true;
      buffer?: ArrayBuffer;
      /** Bytes read (`read`). */
      length?: number;
      /** The file's size when it was opened through a sync access handle (`open`). */
      size?: number;
      status?: number;
      headers?: Array<[string, string]>;
      text?: string;
      /** Where the shortened pipe stops (`shorten`); absent when the pipe had ended. */
      end?: number;
    }
  /** `code`: an `ObjectStoreError` code when the failure is the network's, not the file's. */
  | { id: number; ok: false; name: string; message: string; code?: string };

/**
 * Sent during a `pipe`, after each write: bytes written since the last event, body bytes read, and the time
 * spent in writes (whether the writer or the network sets the pace).
 */
export interface WriterProgress {
  id: number;
  progress: true;
  written: number;
  fetched: number;
  busyMs: number;
}
