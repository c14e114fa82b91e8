// The object store HTTP API backed by S3: a throwaway Ceph RGW (scripts/rgw/start.sh) unless
// OBJECTDROP_S3_ENDPOINT names one, two buckets with CORS for the page origins, and
// createObjectStoreHandler(createS3ObjectStore(…)) on a port. Takes the flags `scripts/start.mjs`
// gives the local store, so it can stand in for it (the e2e suite's second run):
//   npx tsx scripts/s3-dev-server.ts [serve] --port 8787 --host 127.0.0.1 --cors-origin http://127.0.0.1:5173
// `--dir` is accepted and ignored (S3 keeps the data); `--admin` injects faults into the JSON API only
// (the bytes go to S3 directly).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createObjectStoreHandler } from '../src/server/http-handler';
import { configureBucketCors, configureTtlLifecycle } from '../src/server/s3-bucket';
import { s3ClientConfig, startS3Endpoint } from '../src/server/s3-rgw-fixture';
import { createS3ObjectStore } from '../src/server/s3-store';

const { values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'cors-origin': { type: 'string', multiple: true },
    bucket: { type: 'string', default: 'objectdrop' },
    'cdn-bucket': { type: 'string', default: 'objectdrop-cdn' },
    dir: { type: 'string' },
    admin: { type: 'boolean' },
  },
});
const origins = (values['cors-origin'] ?? ['http://127.0.0.1:5173', 'http://localhost:5173']).flatMap((o) =>
  o.split(','),
);

// Take the port first: a busy port fails fast, before a cluster is started for nothing.
const server = createServer();
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(values.port), values.host, () => {
    server.off('error', reject);
    resolve();
  });
});

const s3 = await startS3Endpoint();
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    server.close();
    await s3.stop().catch((error: unknown) => console.error(error));
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const client = new S3Client({ ...s3ClientConfig(s3), requestChecksumCalculation: 'WHEN_REQUIRED' });
  const bucket = values.bucket;
  const cdnBucket = values['cdn-bucket'];
  for (const name of [bucket, cdnBucket]) {
    await client.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    await configureBucketCors(client, name, origins);
    await configureTtlLifecycle(client, name);
  }
  const store = createS3ObjectStore({ client, bucket, cdnBucket });
  server.on(
    'request',
    createObjectStoreHandler(store, { corsOrigins: origins, admin: values.admin ?? false }),
  );
  const { port } = server.address() as AddressInfo;
  console.log(
    `S3 endpoint ${s3.endpoint}, buckets ${bucket} and ${cdnBucket}, CORS for ${origins.join(' ')}`,
  );
  console.log(`objectdrop store listening on http://${values.host}:${port}`);
} catch (error) {
  console.error(error);
  await stop(1);
}
