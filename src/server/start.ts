import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createObjectStoreHandler, type ObjectStoreHandler, type SandboxRegistry } from './http-handler';
import { createLocalObjectStore, type LocalObjectStore, type LocalObjectStoreOptions } from './local-store';

export interface StartLocalObjectStoreOptions extends Omit<LocalObjectStoreOptions, 'baseUrl'> {
  /** TCP port; `0` picks a free one. Default `8787`. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1` (not reachable from other machines). */
  host?: string;
  /** Origins allowed by CORS; `'*'` allows any. Default: the demo page's origins. */
  corsOrigins?: readonly string[];
  /** Serve the `/_admin/…` fault endpoints. Default `false`. */
  admin?: boolean;
  /** Public URL, when the store sits behind a proxy. Default `http://<host>:<port>`. */
  baseUrl?: string;
}

export interface RunningObjectStore {
  /** Base URL of the API (`${url}/api/v1/…`) and of the pre-signed URLs. */
  url: string;
  store: LocalObjectStore;
  server: Server;
  close(): Promise<void>;
}

/** Starts the local object store on its own node:http server. */
export async function startLocalObjectStore(
  options: StartLocalObjectStoreOptions,
): Promise<RunningObjectStore> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  // Large PUTs over slow links must not be cut by Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = options.baseUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const store = createLocalObjectStore({ ...options, baseUrl: url });
  try {
    await store.ready;
  } catch (error) {
    server.close();
    throw error;
  }
  const sandboxRoot = join(options.dir, 'sandboxes');
  await rm(sandboxRoot, { recursive: true, force: true });
  const sandboxes = new Map<string, ObjectStoreHandler>();
  let sandboxCount = 0;
  const registry: SandboxRegistry = {
    async create() {
      const id = `${(++sandboxCount).toString(36)}${randomBytes(4).toString('hex')}`;
      const sandbox = createLocalObjectStore({
        ...options,
        faults: {},
        dir: join(sandboxRoot, id),
        baseUrl: `${store.baseUrl}/sandbox/${id}`,
      });
      await sandbox.ready;
      sandboxes.set(id, createObjectStoreHandler(sandbox, { corsOrigins: options.corsOrigins, admin: true }));
      return id;
    },
    get: (id) => sandboxes.get(id),
  };
  server.on(
    'request',
    createObjectStoreHandler(store, {
      corsOrigins: options.corsOrigins,
      admin: options.admin,
      ...(options.admin ? { sandboxes: registry } : {}),
    }),
  );
  return {
    url: store.baseUrl,
    store,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
