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

const s3Xml = (code: string, message = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>tx1</RequestId></Error>`;

describe('errorFromResponse with S3 XML errors (pre-signed URLs of an S3-compatible store)', () => {
  it('maps them by <Code>', () => {
    expect(errorFromResponse(503, s3Xml('SlowDown', 'Please reduce your request rate.'))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryable: true,
      message: 'The store answered 503 SlowDown: Please reduce your request rate.',
    });
    expect(errorFromResponse(400, s3Xml('BadDigest')).code).toBe('CHECKSUM_MISMATCH');
    expect(errorFromResponse(400, s3Xml('XAmzContentChecksumMismatch')).code).toBe('CHECKSUM_MISMATCH');
    expect(errorFromResponse(400, s3Xml('IncompleteBody')).code).toBe('LENGTH_MISMATCH');
    expect(errorFromResponse(404, s3Xml('NoSuchKey')).code).toBe('NOT_FOUND');
    expect(errorFromResponse(403, s3Xml('SignatureDoesNotMatch')).code).toBe('SIGNATURE_INVALID');
    expect(errorFromResponse(403, s3Xml('AccessDenied')).code).toBe('SIGNATURE_INVALID');
  });

  it('reads 412 as OBJECT_EXISTS for a PUT (If-None-Match: *) and OBJECT_CHANGED otherwise', () => {
    expect(errorFromResponse(412, s3Xml('PreconditionFailed'), undefined, 'PUT').code).toBe('OBJECT_EXISTS');
    expect(errorFromResponse(412, s3Xml('PreconditionFailed'), undefined, 'GET').code).toBe('OBJECT_CHANGED');
    expect(errorFromResponse(412, '').code).toBe('OBJECT_CHANGED');
  });
});
