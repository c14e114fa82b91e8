import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const storeUrl = `http://127.0.0.1:${process.env.E2E_STORE_PORT ?? '8797'}`;

/** A file of random bytes on disk, as a user would pick it, with its SHA-256 from Node's crypto. */
export function makeFile(name: string, size: number): { path: string; bytes: Buffer; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'objectdrop-e2e-'));
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('base64') };
}

/** Calls the store's JSON API the way any backend would. */
export async function storeApi<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${storeUrl}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
