import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../scripts/rgw/', import.meta.url));

/** Where the S3 tests (and the S3-backed dev server) find a real S3 endpoint. */
export interface S3Endpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** ceph.conf of a cluster we started, for `radosgw-admin`; absent for an endpoint given by env. */
  rgwConf?: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'The S3 tests run against a real Ceph RADOS Gateway. Install it (Debian/Ubuntu): ' +
  'apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common ; ' +
  'or point them at a running S3 endpoint with OBJECTDROP_S3_ENDPOINT (+ OBJECTDROP_S3_ACCESS_KEY, ' +
  'OBJECTDROP_S3_SECRET_KEY, OBJECTDROP_S3_REGION); or skip them with OBJECTDROP_SKIP_S3=1.';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.split(/=(.*)/s, 2))
      .filter((pair): pair is [string, string] => pair.length === 2 && !!pair[0]),
  );
}

/**
 * The endpoint named by `OBJECTDROP_S3_ENDPOINT`, else a throwaway RGW started by
 * scripts/rgw/start.sh on free ports (stopped by `stop()`). Rejects with `INSTALL_HINT` when the
 * Ceph binaries are missing.
 */
export async function startS3Endpoint(): Promise<S3Endpoint> {
  const env = process.env;
  if (env.OBJECTDROP_S3_ENDPOINT)
    return {
      endpoint: env.OBJECTDROP_S3_ENDPOINT,
      region: env.OBJECTDROP_S3_REGION ?? 'us-east-1',
      accessKeyId: env.OBJECTDROP_S3_ACCESS_KEY ?? '',
      secretAccessKey: env.OBJECTDROP_S3_SECRET_KEY ?? '',
      ...(env.OBJECTDROP_RGW_CONF ? { rgwConf: env.OBJECTDROP_RGW_CONF } : {}),
      stop: async () => {},
    };
  try {
    await run('bash', [join(scripts, 'start.sh'), '--check']);
  } catch (error) {
    throw new Error(`${INSTALL_HINT}\n(${(error as { stderr?: string }).stderr?.trim() ?? String(error)})`);
  }
  const dir = join(tmpdir(), `objectdrop-rgw-${process.pid}-${Date.now().toString(36)}`);
  const childEnv = {
    ...env,
    RGW_DIR: dir,
    RGW_PORT: String(await freePort()),
    RGW_MON_PORT: String(await freePort()),
    RGW_OWNER_PID: String(process.pid),
  };
  const stop = async () => {
    await run('bash', [join(scripts, 'stop.sh')], { env: childEnv });
  };
  try {
    await run('bash', [join(scripts, 'start.sh')], { env: childEnv, timeout: 120_000 });
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(
      `scripts/rgw/start.sh failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`,
    );
  }
  const values = parseEnvFile(await readFile(join(dir, 'env'), 'utf8'));
  return {
    endpoint: values.OBJECTDROP_S3_ENDPOINT ?? '',
    region: values.OBJECTDROP_S3_REGION ?? 'us-east-1',
    accessKeyId: values.OBJECTDROP_S3_ACCESS_KEY ?? '',
    secretAccessKey: values.OBJECTDROP_S3_SECRET_KEY ?? '',
    ...(values.OBJECTDROP_RGW_CONF ? { rgwConf: values.OBJECTDROP_RGW_CONF } : {}),
    stop,
  };
}

/**
 * S3Client settings for an endpoint: path-style addressing (RGW, MinIO) and the static test user.
 * Add `requestChecksumCalculation: 'WHEN_REQUIRED'` for a client that signs URLs.
 */
export function s3ClientConfig(s3: S3Endpoint): S3ClientConfig {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  };
}
