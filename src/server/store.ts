import type { ObjectReference, PresignedUrlResponse, UploadUrlBody } from '../core/types';

/**
 * The server-side SDK surface of the Object Store (`@forge/object-store`'s method names and
 * shapes). The local disk store and the S3 store both implement it, so one HTTP handler serves either.
 */
export interface ObjectStore {
  get(key: string, options?: { cdn?: boolean }): Promise<ObjectReference | undefined>;
  delete(key: string, options?: { cdn?: boolean }): Promise<void>;
  createUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse>;
  createPublicUploadUrl(body: UploadUrlBody): Promise<PresignedUrlResponse>;
  createDownloadUrl(key: string, options?: { cdn?: boolean }): Promise<PresignedUrlResponse | undefined>;
  createPublicDownloadUrl(
    key: string,
    options?: { cdn?: boolean },
  ): Promise<PresignedUrlResponse | undefined>;
  createCDNUrl(key: string, options?: { ttlSeconds?: number }): Promise<PresignedUrlResponse | undefined>;
}
