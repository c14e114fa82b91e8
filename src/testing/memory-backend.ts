import { MAX_OBJECT_SIZE } from '../core/limits';
import type { Transport } from '../core/transport/types';
import type {
  BucketOptions,
  CdnUrlOptions,
  ObjectStoreBackend,
  PresignedUrlResponse,
  RequestOptions,
  UploadUrlBody,
} from '../core/types';
import type { ObjectStore } from '../server/store';
import { FaultState, type MemoryFaultPatch, type MemoryFaults } from './faults';
import { createMemoryStoreCore, type MemoryObject } from './memory-store';
import { createMemoryTransport } from './memory-transport';

export interface MemoryBackendOptions {
  /** Delay before every answer; shorthand for `faults.latencyMs`. Default `0`. */
  latencyMs?: number;
  /** Faults in force from the start; change them later with `setFaults`. Default none. */
  faults?: MemoryFaults;
  /** The clock for URL expiry, object TTLs and timestamps. Default `Date.now`. */
  now?: () => number;
  /** Largest `length` a presign accepts (413 `OBJECT_TOO_LARGE` above it). Default 1 GiB, the seed's. */
  maxObjectSize?: number;
  /** The dice of `errorRate` and `rateLimitRate`. Default `Math.random`. */
  random?: () => number;
}

/** An `ObjectStoreBackend` that keeps objects in memory and serves its own `memory://` URLs. */
export interface MemoryBackend extends ObjectStoreBackend {
  /** Serves the URLs this backend hands out; `createObjectStore` picks it up by itself. */
  readonly transport: Transport;
  /**
   * The same objects through the server-side SDK's surface (`createPublicUploadUrl` and friends),
   * for code that plays the server, such as the Forge resolvers. Faults apply to it too.
   */
  readonly store: ObjectStore;
  createCDNUrl(key: string, options?: CdnUrlOptions): Promise<PresignedUrlResponse | undefined>;
  /** 1–32 bodies, URLs in the same order, all or none: the local store's batch route. */
  createUploadUrls(bodies: UploadUrlBody[], options?: RequestOptions): Promise<PresignedUrlResponse[]>;
  /** Merges `faults` into those in force; a key set to `undefined` or `null` switches that fault off. */
  setFaults(faults: MemoryFaultPatch): void;
  /** The faults in force. */
  getFaults(): Readonly<MemoryFaults>;
  /** Deletes every object and URL, and restores the faults given at creation. */
  reset(): void;
  /** The stored objects of both buckets, expired ones left out. */
  objects(): MemoryObject[];
}

/**
 * A complete in-memory Object Store for stories, demos and tests: no server, works in the browser
 * and in Node. Its URLs (`memory://…`) are served by `backend.transport` with the local store's
 * semantics — expiring signed URLs, length and checksum checks, versions, TTLs, the CDN bucket,
 * ranged GETs — and it injects the same faults as the local store.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const initial: MemoryFaults = { ...options.faults };
  if (options.latencyMs !== undefined && initial.latencyMs === undefined)
    initial.latencyMs = options.latencyMs;
  const faults = new FaultState(initial, options.random ?? Math.random);
  const core = createMemoryStoreCore({
    faults,
    now: options.now ?? Date.now,
    maxObjectSize: options.maxObjectSize ?? MAX_OBJECT_SIZE,
  });
  const { api } = core;

  const store: ObjectStore = {
    get: (key, o) => api.get(key, { cdn: o?.cdn }),
    delete: (key, o) => api.delete(key, { cdn: o?.cdn }),
    createUploadUrl: (body) => api.createUploadUrl(body),
    createPublicUploadUrl: (body) => api.createUploadUrl(body),
    createDownloadUrl: (key, o) => api.createDownloadUrl(key, { cdn: o?.cdn }),
    createPublicDownloadUrl: (key, o) => api.createDownloadUrl(key, { cdn: o?.cdn }),
    createCDNUrl: (key, o) => api.createCDNUrl(key, { ttlSeconds: o?.ttlSeconds }),
  };

  return {
    transport: createMemoryTransport(core, faults),
    store,
    createUploadUrl: (body: UploadUrlBody, o?: RequestOptions) => api.createUploadUrl(body, o),
    createUploadUrls: (bodies: UploadUrlBody[], o?: RequestOptions) => api.createUploadUrls(bodies, o),
    createDownloadUrl: (key: string, o?: BucketOptions) => api.createDownloadUrl(key, o),
    get: (key: string, o?: BucketOptions) => api.get(key, o),
    delete: (key: string, o?: BucketOptions) => api.delete(key, o),
    createCDNUrl: (key: string, o?: CdnUrlOptions) => api.createCDNUrl(key, o),
    setFaults: (patch) => faults.set(patch),
    getFaults: () => faults.current,
    reset: () => {
      core.clear();
      faults.reset();
    },
    objects: () => core.objects(),
  };
}
