import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseRetryAfter } from './http-errors';

describe('errorFromResponse', () => {
  it('keeps the code and message of a { code, message } body', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'Bytes differ.' }),
    );
    expect(error).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: 'Bytes differ.',
      status: 400,
      retryable: false,
    });
  });

  it('maps by status when the body is not ours, and reads Retry-After', () => {
    const headers = new Headers({ 'retry-after': '3' });
    expect(errorFromResponse(429, 'Slow down', headers)).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryable: true,
      retryAfterSeconds: 3,
    });
    expect(errorFromResponse(503, '<html>')).toMatchObject({ code: 'BACKEND', retryable: true });
    expect(errorFromResponse(404, '')).toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('tells an expired URL from a bad signature on a bare 403', () => {
    expect(
      errorFromResponse(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message>'),
    ).toMatchObject({ code: 'URL_EXPIRED', retryable: true });
    expect(errorFromResponse(403, 'SignatureDoesNotMatch')).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('ignores unknown codes in the body', () => {
    expect(errorFromResponse(500, JSON.stringify({ code: 'WHATEVER' }))).toMatchObject({ code: 'BACKEND' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter('soon')).toBe(undefined);
    expect(parseRetryAfter(null)).toBe(undefined);
  });
});
