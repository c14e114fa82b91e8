import type { IncomingMessage } from 'node:http';

/**
 * Whether a request failed because its client closed the connection: there is no one to answer, and
 * nothing went wrong here. Node destroys a request whose socket closes before the answer with `aborted`
 * (`ECONNRESET`), also when its body had fully arrived but was not yet read to the end (`complete`).
 */
export function clientWentAway(
  req: Pick<IncomingMessage, 'destroyed' | 'complete'>,
  error: unknown,
): boolean {
  if (!req.destroyed) return false;
  if (!req.complete) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}
