import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBackend } from '../../adapters/http-backend';
import { createObjectStore } from '../client';
import { nodeHasher } from '../test-support/fake-backend';
import type { ObjectReference, UploadUrlBody } from '../types';

// A tiny server speaking the HTTP contract of design.md, until the real local store is on main.
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function startContractServer() {
  const objects = new Map<string, ObjectReference & { bytes: Buffer }>();
  const urls = new Map<string, UploadUrlBody>();
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const json = (status: number, value?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(value === undefined ? undefined : JSON.stringify(value));
    };
    const path = request.url ?? '';
    if (request.method === 'POST' && path === '/api/v1/public-upload-url') {
      const upload = JSON.parse(body.toString()) as UploadUrlBody;
      const token = String(urls.size + 1);
      urls.set(token, upload);
      return json(200, { url: `${base()}/put/${token}` });
    }
    if (request.method === 'POST' && path === '/api/v1/metadata') {
      const { key } = JSON.parse(body.toString()) as { key: string };
      const stored = objects.get(key);
      if (!stored) return json(404, { code: 'NOT_FOUND', message: 'no such object' });
      const { bytes: _bytes, ...reference } = stored;
      return json(200, reference);
    }
    if (request.method === 'PUT' && path.startsWith('/put/')) {
      const upload = urls.get(path.slice('/put/'.length));
      if (!upload) return json(403, { code: 'SIGNATURE_INVALID', message: 'bad URL' });
      const checksum = createHash('sha256').update(body).digest('base64');
      if (body.length !== upload.length) return json(400, { code: 'LENGTH_MISMATCH', message: 'length' });
      if (checksum !== upload.checksum) return json(400, { code: 'CHECKSUM_MISMATCH', message: 'checksum' });
      objects.set(upload.key, { key: upload.key, checksum, size: body.length, bytes: body });
      return json(200);
    }
    json(404, { code: 'NOT_FOUND', message: path });
  });
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, objects, base };
}

describe('from Node 20 with the fetch transport', () => {
  const store = startContractServer();
  let dir = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => store.server.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(join(tmpdir(), 'objectdrop-upload-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => store.server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads on-disk files (fs.openAsBlob) through createHttpBackend and stores their exact bytes', async () => {
    const client = createObjectStore({
      backend: createHttpBackend({ baseUrl: store.base() }),
      hasher: nodeHasher,
    });
    const contents = [Buffer.alloc(3 * 1024 * 1024, 7), Buffer.from('second file'), Buffer.alloc(0)];
    const tasks = await Promise.all(
      contents.map(async (bytes, i) => {
        const path = join(dir, `file-${i}.bin`);
        await writeFile(path, bytes);
        return client.upload(await openAsBlob(path), { key: `node/${i}` });
      }),
    );
    const objects = await Promise.all(tasks.map((task) => task.done));
    contents.forEach((bytes, i) => {
      expect(objects[i]).toMatchObject({ key: `node/${i}`, size: bytes.length });
      expect(store.objects.get(`node/${i}`)?.bytes.equals(bytes)).toBe(true);
    });
    expect(tasks.every((task) => task.getSnapshot().status === 'done')).toBe(true);
    await expect(client.get('node/0')).resolves.toMatchObject({ size: 3 * 1024 * 1024 });
    await expect(client.get('missing')).resolves.toBeUndefined();
  });
});
