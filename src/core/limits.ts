import type { ChecksumType } from './types';

/** Limits of the Object Store contract (the seed), shared by the client and the local server. */
export const MAX_OBJECT_SIZE = 1024 * 1024 * 1024;
/** We read the seed's "1 kB" request payload as 1024 bytes of JSON. */
export const MAX_REQUEST_PAYLOAD_BYTES = 1024;
export const PRESIGNED_URL_TTL_SECONDS = 3600;
/**
 * Most upload URLs one `createUploadUrls` call (HTTP: `public-upload-urls`) hands out. Each body still
 * obeys {@link MAX_REQUEST_PAYLOAD_BYTES}; the batch's request may be this many times that.
 */
export const MAX_UPLOAD_URL_BATCH = 32;
export const MAX_CDN_TTL_SECONDS = 2_505_600;
export const RATE_LIMIT_REQUESTS_PER_MINUTE = 5000;
export const RATE_LIMIT_PRESIGNS_PER_SECOND = 1000;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** A content type the store keeps and hands back verbatim as a header: visible ASCII and spaces, no CR/LF. */
export const CONTENT_TYPE_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;
/** Bytes of each algorithm's digest (the request carries it as base64). */
export const DIGEST_BYTES: Readonly<Record<ChecksumType, number>> = {
  SHA1: 20,
  SHA256: 32,
  CRC32: 4,
  CRC32C: 4,
};
