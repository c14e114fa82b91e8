import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../core/client';
import type { ChecksumType } from '../core/types';
import { createMemoryBackend } from './memory-backend';

// In real Chromium, with no server: what a story does. hash-wasm loads its WASM in the page.

async function subtleHasher(blob: Blob, type: ChecksumType): Promise<string> {
  const digest = await crypto.subtle.digest(type === 'SHA1' ? 'SHA-1' : 'SHA-256', await blob.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536)
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return bytes;
}

describe('createMemoryBackend in the browser', () => {
  it('uploads with stepwise progress and serves ranges of the stored bytes', async () => {
    const backend = createMemoryBackend({ latencyMs: 20 });
    const client = createObjectStore({ backend, hasher: subtleHasher });
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const task = client.upload(new File([bytes], 'photo.jpg', { type: 'image/jpeg' }), { key: 'photo' });
    const loaded = new Set<number>();
    const statuses = new Set<string>();
    task.subscribe(() => {
      loaded.add(task.getSnapshot().loaded);
      statuses.add(task.getSnapshot().status);
    });
    const ref = await task.done;
    expect(ref).toMatchObject({ key: 'photo', size: bytes.length, contentType: 'image/jpeg' });
    expect(loaded.size).toBeGreaterThan(5);
    expect(statuses.has('uploading')).toBe(true);

    const { url } = (await backend.createDownloadUrl('photo'))!;
    const response = await backend.transport.send({
      method: 'GET',
      url,
      headers: { range: 'bytes=1000000-1000999' },
    });
    expect(response.status).toBe(206);
    const part = new Uint8Array(await new Response(response.body).arrayBuffer());
    expect(Array.from(part)).toEqual(Array.from(bytes.subarray(1_000_000, 1_001_000)));
  });

  for (const checksumType of ['SHA1', 'SHA256', 'CRC32', 'CRC32C'] as const)
    it(`checks a ${checksumType} PUT with hash-wasm in the page`, async () => {
      const backend = createMemoryBackend();
      const bytes = new TextEncoder().encode('123456789');
      const known: Record<ChecksumType, string> = {
        SHA1: await subtleHasher(new Blob([bytes]), 'SHA1'),
        SHA256: await subtleHasher(new Blob([bytes]), 'SHA256'),
        CRC32: btoa(String.fromCharCode(0xcb, 0xf4, 0x39, 0x26)),
        CRC32C: btoa(String.fromCharCode(0xe3, 0x06, 0x92, 0x83)),
      };
      const body = { key: 'k', length: 9, checksumType };
      const good = await backend.createUploadUrl({ ...body, checksum: known[checksumType] });
      expect(
        (await backend.transport.send({ method: 'PUT', url: good.url, body: new Blob([bytes]) })).status,
      ).toBe(200);
      const zeros = { SHA1: 20, SHA256: 32, CRC32: 4, CRC32C: 4 }[checksumType];
      const bad = await backend.createUploadUrl({ ...body, checksum: btoa('\0'.repeat(zeros)) });
      const refused = await backend.transport.send({ method: 'PUT', url: bad.url, body: new Blob([bytes]) });
      expect(refused.status).toBe(400);
      expect(JSON.parse(await refused.text())).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    });
});
