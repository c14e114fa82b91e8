/** Limits of the Object Store contract (the seed), shared by the client and the local server. */
export const MAX_OBJECT_SIZE = 1024 * 1024 * 1024;
/** We read the seed's "1 kB" request payload as 1024 bytes of JSON. */
export const MAX_REQUEST_PAYLOAD_BYTES = 1024;
export const PRESIGNED_URL_TTL_SECONDS = 3600;
export const MAX_CDN_TTL_SECONDS = 2_505_600;
export const RATE_LIMIT_REQUESTS_PER_MINUTE = 5000;
export const RATE_LIMIT_PRESIGNS_PER_SECOND = 1000;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
