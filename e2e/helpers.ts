import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, test as base, expect, type Page } from '@playwright/test';
import type { FaultPatch } from '../src/core/faults';

export const storeUrl = `http://127.0.0.1:${process.env.E2E_STORE_PORT ?? '8797'}`;

/** A file of random bytes on disk, as a user would pick it, with its SHA-256 from Node's crypto. */
export function makeFile(name: string, size: number): { path: string; bytes: Buffer; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'objectdrop-e2e-'));
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('base64') };
}

/** `count` files named `${prefix}-N.bin` of `size` bytes each, in one folder. */
export function makeFiles(prefix: string, count: number, size: number) {
  return Array.from({ length: count }, (_, index) => makeFile(`${prefix}-${index + 1}.bin`, size));
}

/**
 * A large file written in 1 MiB chunks (never whole in this process's memory), with its SHA-256.
 * Every chunk differs, so nothing downstream can get away with deduplicating.
 */
export function makeLargeFile(name: string, size: number): { path: string; size: number; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'objectdrop-e2e-'));
  const path = join(dir, name);
  const hash = createHash('sha256');
  const chunk = randomBytes(1024 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0, index = 0; written < size; index += 1) {
      chunk.writeUInt32LE(index, 0);
      const part = chunk.subarray(0, Math.min(chunk.length, size - written));
      writeSync(fd, part);
      hash.update(part);
      written += part.length;
    }
  } finally {
    closeSync(fd);
  }
  return { path, size, sha256: hash.digest('base64') };
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

async function admin(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${storeUrl}/_admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The store's fault settings; see src/server/faults.ts. `null` clears a field. */
export const getFaults = async (): Promise<FaultPatch> => (await fetch(`${storeUrl}/_admin/faults`)).json();
export const setFaults = (patch: FaultPatch) => admin('faults', patch);
/** Clears every fault and the store's rate-limit counters. */
export const resetStore = () => admin('reset', {});

/** The SHA-256 (base64) of what the store holds at `key`, read back through a download URL. */
export async function storedSha256(key: string, cdn = false): Promise<string> {
  const url = await storeApi<{ url: string }>('public-download-url', { key, cdn });
  expect(url.status).toBe(200);
  const hash = createHash('sha256');
  const response = await fetch(url.body.url);
  for await (const chunk of response.body!) hash.update(chunk as Uint8Array);
  return hash.digest('base64');
}

/** Each test starts against a well-behaved store and ends by clearing whatever faults it set. */
export const test = base.extend<{ cleanStore: undefined }>({
  cleanStore: [
    async ({ page: _page }, use) => {
      await resetStore();
      await use(undefined);
      await resetStore();
    },
    { auto: true },
  ],
});
export { expect };

/** The demo page with its picker input, ready to take files. */
export async function openDemo(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  return page.locator('input[type=file]').first();
}

/** The upload card of one file (a list item named by the file's name). */
export const fileCard = (page: Page, name: string) => page.getByRole('listitem', { name, exact: true });

/** Every upload card on the page. */
export const fileCards = (page: Page) => page.locator('.od-file-card');

/** Counts HTTP responses of one kind, as the browser saw them. */
export function countResponses(page: Page, match: (method: string, url: string, status: number) => boolean) {
  const counter = { count: 0 };
  page.on('response', (response) => {
    if (match(response.request().method(), response.url(), response.status())) counter.count += 1;
  });
  return counter;
}

/** PID of each Chromium renderer process, from the browser itself (CDP SystemInfo). */
export async function rendererPids(browser: Browser): Promise<number[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    return info.processInfo.filter((process) => process.type === 'renderer').map((process) => process.id);
  } finally {
    await session.detach();
  }
}

/** Resident and peak resident memory of a Linux process, in bytes, from /proc. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

/** axe finds nothing on the page as it stands. */
export async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(summary).toEqual([]);
}
