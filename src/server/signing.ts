import { createHmac, timingSafeEqual } from 'node:crypto';
import { ObjectStoreError } from '../core/errors';

/**
 * HMAC-SHA256 over every parameter the URL carries, in a fixed order, so changing any of them
 * (key, bucket, length, checksum, expiry, …) invalidates it.
 */
export function sign(
  secret: string,
  method: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const canonical = [method, ...params.map(([name, value]) => `${name}=${value}`)].join('\n');
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

/** The signature is checked before the expiry, so a tampered `expires` reads as tampering. */
export function verify(
  secret: string,
  method: string,
  params: ReadonlyArray<readonly [string, string]>,
  signature: string | null,
  nowMs: number,
): void {
  const expected = Buffer.from(sign(secret, method, params));
  const given = Buffer.from(signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ObjectStoreError('SIGNATURE_INVALID', 'The URL signature does not match its parameters.', {
      status: 403,
    });
  const expires = Number(params.find(([name]) => name === 'expires')?.[1]);
  if (!(expires * 1000 > nowMs))
    throw new ObjectStoreError('URL_EXPIRED', 'The pre-signed URL has expired; ask for a new one.', {
      status: 403,
    });
}
