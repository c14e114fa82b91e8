import { describe, expect, it } from 'vitest';
import { errorFromResponse } from './http-errors';

const s3Xml = (code: string, message = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>tx1</RequestId></Error>`;

describe('errorFromResponse', () => {
  it('keeps the code of a { code, message } body', () => {
    const error = errorFromResponse(400, JSON.stringify({ code: 'CHECKSUM_MISMATCH', message: 'bad bytes' }));
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: 'bad bytes', status: 400 });
  });

  it('maps S3 XML error codes', () => {
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
    expect(errorFromResponse(403, s3Xml('AccessDenied', 'Request has expired')).code).toBe('URL_EXPIRED');
    expect(errorFromResponse(403, s3Xml('AccessDenied')).code).toBe('SIGNATURE_INVALID');
  });

  it('reads 412 as OBJECT_EXISTS for a PUT (If-None-Match) and OBJECT_CHANGED otherwise', () => {
    expect(errorFromResponse(412, s3Xml('PreconditionFailed'), undefined, 'PUT').code).toBe('OBJECT_EXISTS');
    expect(errorFromResponse(412, s3Xml('PreconditionFailed'), undefined, 'GET').code).toBe('OBJECT_CHANGED');
    expect(errorFromResponse(412, '').code).toBe('OBJECT_CHANGED');
  });

  it('carries Retry-After', () => {
    expect(errorFromResponse(429, '', new Headers({ 'retry-after': '7' })).retryAfterSeconds).toBe(7);
  });
});
