import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecksumType, ObjectReference } from '../core/types';

export type Bucket = 'default' | 'cdn';
export const BUCKETS: readonly Bucket[] = ['default', 'cdn'];

/** What a `<id>.json` file holds: the object's reference plus when it stops existing. */
export interface StoredMeta {
  key: string;
  checksum: string;
  checksumType: ChecksumType;
  size: number;
  contentType: string;
  createdAt: string;
  updatedAt: string;
  currentVersion: string;
  /** Epoch ms after which the object is gone (`ttlSeconds`). */
  expiresAt?: number;
}

export function toReference(meta: StoredMeta): ObjectReference {
  const { expiresAt: _expiresAt, ...reference } = meta;
  return reference;
}

/**
 * On-disk layout under `dir`:
 *   tmp/                      uploads in flight (swept at start)
 *   objects/<bucket>/<id>.json              metadata, replaced by rename
 *   objects/<bucket>/<id>.<version>.bin     one file per version
 * `<id>` is the SHA-256 hex of the key's UTF-8: any key (`../`, NUL, emoji, 1000 bytes) maps to
 * a fixed-size safe name that can never leave `dir`. Readers open the version's file, so a
 * download that started before an overwrite keeps reading the old, unlinked inode.
 */
export function createDiskLayout(dir: string, durable = false) {
  const tmpDir = join(dir, 'tmp');
  const bucketDir = (bucket: Bucket) => join(dir, 'objects', bucket);
  const idOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
  const metaPath = (bucket: Bucket, id: string) => join(bucketDir(bucket), `${id}.json`);
  const dataPath = (bucket: Bucket, id: string, version: string) =>
    join(bucketDir(bucket), `${id}.${version}.bin`);
  const tempPath = () => join(tmpDir, randomBytes(12).toString('hex'));

  async function readMeta(bucket: Bucket, id: string): Promise<StoredMeta | undefined> {
    try {
      return JSON.parse(await readFile(metaPath(bucket, id), 'utf8')) as StoredMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async function writeMeta(bucket: Bucket, id: string, meta: StoredMeta): Promise<void> {
    const temp = tempPath();
    await writeFile(temp, JSON.stringify(meta), { flush: durable });
    await rename(temp, metaPath(bucket, id));
    // The renames live in the directory: flush it too. Windows cannot open a directory; skip there.
    if (durable && process.platform !== 'win32') {
      const handle = await open(bucketDir(bucket), 'r');
      await handle.sync().finally(() => handle.close());
    }
  }

  /**
   * Best effort: on Windows a version still open by a download cannot be unlinked. The object
   * is already gone or replaced (its metadata decides); the start-up sweep takes the file later.
   */
  async function removeVersion(bucket: Bucket, id: string, version: string): Promise<void> {
    await rm(dataPath(bucket, id, version), { force: true }).catch(() => undefined);
  }

  async function removeObject(bucket: Bucket, id: string, meta: StoredMeta): Promise<void> {
    await rm(metaPath(bucket, id), { force: true });
    await removeVersion(bucket, id, meta.currentVersion);
  }

  /**
   * Creates the folders; drops temp files, versions no metadata points to (a crash mid-write)
   * and objects whose `ttlSeconds` ran out while the store was down.
   */
  async function prepare(nowMs: number): Promise<void> {
    await rm(tmpDir, { recursive: true, force: true });
    await mkdir(tmpDir, { recursive: true });
    for (const bucket of BUCKETS) {
      await mkdir(bucketDir(bucket), { recursive: true });
      const names = await readdir(bucketDir(bucket));
      const current = new Set<string>();
      for (const name of names) {
        if (!name.endsWith('.json')) continue;
        const id = name.slice(0, -5);
        const meta = await readMeta(bucket, id).catch(() => undefined);
        if (meta?.expiresAt !== undefined && meta.expiresAt <= nowMs)
          await rm(metaPath(bucket, id), { force: true });
        else if (meta) current.add(`${id}.${meta.currentVersion}.bin`);
      }
      for (const name of names)
        if (name.endsWith('.bin') && !current.has(name))
          await rm(join(bucketDir(bucket), name), { force: true });
    }
  }

  return {
    idOf,
    dataPath,
    tempPath,
    readMeta,
    writeMeta,
    removeVersion,
    removeObject,
    prepare,
  };
}

/**
 * Where the local store keeps the bytes of one version, for tests that check the disk (the e2e
 * suite compares this file's SHA-256 with Node's). `currentVersion` comes from `metadata`.
 */
export function objectFilePath(
  dir: string,
  reference: { key: string; currentVersion?: string },
  options: { cdn?: boolean } = {},
): string {
  if (!reference.currentVersion) throw new Error('objectFilePath needs the currentVersion of the object.');
  const layout = createDiskLayout(dir);
  return layout.dataPath(
    options.cdn ? 'cdn' : 'default',
    layout.idOf(reference.key),
    reference.currentVersion,
  );
}
