/** Messages between `createOpfsSink` and its worker. */
export type OpfsRequest =
  | { id: number; op: 'open'; handle: FileSystemFileHandle }
  | { id: number; op: 'write'; position: number; bytes: Uint8Array<ArrayBuffer> }
  | { id: number; op: 'truncate'; size: number }
  | { id: number; op: 'close' }
  | { id: number; op: 'abort' };

export type OpfsReply =
  | { id: number; ok: true; buffer?: ArrayBuffer }
  | { id: number; ok: false; name: string; message: string };
