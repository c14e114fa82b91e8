import type { Transport } from './transport/types';

/** Checksum algorithms of the Object Store contract. Values are base64 of the raw digest. */
export type ChecksumType = 'SHA1' | 'SHA256' | 'CRC32' | 'CRC32C';

export const CHECKSUM_TYPES: readonly ChecksumType[] = ['SHA1', 'SHA256', 'CRC32', 'CRC32C'];

/** Metadata of a stored object, as the store's `get` returns it. */
export interface ObjectReference {
  key: string;
  /** Base64 of the raw digest of the object's bytes. */
  checksum: string;
  size: number;
  createdAt?: string;
  updatedAt?: string;
  currentVersion?: string;
  contentType?: string;
  /** Not in the seed's type, but a verifying download needs to know which digest `checksum` is. */
  checksumType?: ChecksumType;
}

/** Body of `createUploadUrl` / `createPublicUploadUrl`. */
export interface UploadUrlBody {
  key: string;
  /** Exact byte size of the object. */
  length: number;
  checksum: string;
  checksumType: ChecksumType;
  /** Seconds after which the stored object disappears. */
  ttlSeconds?: number;
  /** Replace an existing object with the same key. Default `true`. */
  overwrite?: boolean;
  /** Store in the CDN bucket. Default `false`. */
  cdn?: boolean;
  /** Kept on the object and returned on download. Default `application/octet-stream`. */
  contentType?: string;
}

export interface PresignedUrlResponse {
  url: string;
  /** Headers the request must carry (S3 flexible checksums, say). The local store returns none. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface BucketOptions extends RequestOptions {
  /** Address the CDN bucket instead of the default one. Default `false`. */
  cdn?: boolean;
}

export interface CdnUrlOptions extends RequestOptions {
  /** Lifetime of the CDN URL, `0 < ttlSeconds ≤ 2,505,600` (29 days). */
  ttlSeconds?: number;
}

/**
 * The pluggable adapter between the browser and whatever hands out pre-signed URLs.
 * Browser-facing backends hand out the store's *public* URL variants.
 */
export interface ObjectStoreBackend {
  createUploadUrl(body: UploadUrlBody, options?: RequestOptions): Promise<PresignedUrlResponse>;
  /**
   * Optional: upload URLs for up to `MAX_UPLOAD_URL_BATCH` (32) files in one call, answered in the
   * order of `bodies`, all or none (one bad body fails the call). The client asks for several at once
   * when files queue up (each request to the app's server costs the page about as much CPU as a
   * 1 MiB PUT's share), and falls back to `createUploadUrl` per file when this is missing or fails.
   */
  createUploadUrls?(bodies: UploadUrlBody[], options?: RequestOptions): Promise<PresignedUrlResponse[]>;
  createDownloadUrl(key: string, options?: BucketOptions): Promise<PresignedUrlResponse | undefined>;
  get(key: string, options?: BucketOptions): Promise<ObjectReference | undefined>;
  delete(key: string, options?: BucketOptions): Promise<void>;
  createCDNUrl?(key: string, options?: CdnUrlOptions): Promise<PresignedUrlResponse | undefined>;
  /**
   * Backends whose URLs are not plain HTTP (the in-memory one of `objectdrop/testing`) carry the
   * transport that serves them; the client uses it unless given a transport of its own.
   */
  readonly transport?: Transport;
}
