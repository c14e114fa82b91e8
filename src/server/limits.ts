import {
  MAX_OBJECT_SIZE,
  MAX_REQUEST_PAYLOAD_BYTES,
  PRESIGNED_URL_TTL_SECONDS,
  RATE_LIMIT_PRESIGNS_PER_SECOND,
  RATE_LIMIT_REQUESTS_PER_MINUTE,
} from '../core/limits';

/** Limits of the local store. Defaults are the Object Store's documented ones. */
export interface StoreLimits {
  /** Largest object a URL can be made for, in bytes. Default 1 GiB (1,073,741,824). */
  maxObjectSize: number;
  /** Largest API request body, checked before any JSON parsing. Default 1024 bytes. */
  maxRequestBytes: number;
  /** Lifetime of pre-signed upload and download URLs. Default 3600 s. */
  urlTtlSeconds: number;
  /** API requests per minute per installation (`X-Installation-Id`). Default 5000. */
  requestsPerMinute: number;
  /** Pre-signed URL creations per second per installation. Default 1000. */
  presignsPerSecond: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = {
  maxObjectSize: MAX_OBJECT_SIZE,
  maxRequestBytes: MAX_REQUEST_PAYLOAD_BYTES,
  urlTtlSeconds: PRESIGNED_URL_TTL_SECONDS,
  requestsPerMinute: RATE_LIMIT_REQUESTS_PER_MINUTE,
  presignsPerSecond: RATE_LIMIT_PRESIGNS_PER_SECOND,
};
