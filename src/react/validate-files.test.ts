import { describe, expect, it } from 'vitest';
import { isObjectStoreError } from '../core/errors';
import { MAX_OBJECT_SIZE } from '../core/limits';
import { base64ToBlob, isBase64Object } from './base64';
import { matchesAccept, validateFiles } from './validate-files';

const file = (name: string, type: string, size = 3) => new File([new Uint8Array(size)], name, { type });

/** A File whose size is reported as `size` without allocating it. */
function sizedFile(name: string, size: number): File {
  const f = file(name, 'application/octet-stream');
  Object.defineProperty(f, 'size', { value: size });
  return f;
}

describe('validateFiles', () => {
  it('accepts by MIME type, wildcard or extension, like <input accept>', () => {
    expect(matchesAccept(file('a.png', 'image/png'), ['image/*'])).toBe(true);
    expect(matchesAccept(file('a.PDF', ''), ['.pdf'])).toBe(true);
    expect(matchesAccept(file('a.txt', 'text/plain'), ['image/*', '.pdf'])).toBe(false);
    expect(matchesAccept(file('a.txt', 'text/plain'), [])).toBe(true);
  });

  it('rejects files over the store limit by default, as data with a code and a message', () => {
    const big = sizedFile('big.iso', MAX_OBJECT_SIZE + 1);
    const ok = sizedFile('ok.iso', MAX_OBJECT_SIZE);
    const { accepted, rejected } = validateFiles([big, ok]);
    expect(accepted).toEqual([ok]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.file).toBe(big);
    expect(rejected[0]?.errors[0]?.code).toBe('file-too-large');
    expect(rejected[0]?.errors[0]?.message).toMatch(/1\.1 GB/);
  });

  it('collects every reason, runs the custom validator, and rejects files beyond maxFiles', () => {
    const files = [
      file('a.txt', 'text/plain', 10),
      file('b.png', 'image/png'),
      file('c.png', 'image/png'),
      file('d.png', 'image/png'),
    ];
    const { accepted, rejected } = validateFiles(files, {
      accept: 'image/*',
      maxSize: 5,
      maxFiles: 2,
      validator: (f) => (f.name.startsWith('c') ? { code: 'no-c', message: 'No c files.' } : null),
    });
    expect(accepted.map((f) => f.name)).toEqual(['b.png', 'd.png']);
    expect(rejected.map((r) => [r.file.name, r.errors.map((e) => e.code)])).toEqual([
      ['a.txt', ['file-too-large', 'file-invalid-type']],
      ['c.png', ['no-c']],
    ]);
    const tooMany = validateFiles(files.slice(1), { maxFiles: 1 });
    expect(tooMany.rejected.map((r) => r.errors[0]?.code)).toEqual(['too-many-files', 'too-many-files']);
  });
});

describe('base64 objects (Forge file picker)', () => {
  it('decodes raw base64 and data URLs to Blobs of the given type', async () => {
    const object = { data: btoa('hello'), mimeType: 'text/plain' };
    expect(isBase64Object(object)).toBe(true);
    expect(isBase64Object(new Blob())).toBe(false);
    const blob = base64ToBlob(object);
    expect(blob.type).toBe('text/plain');
    expect(await blob.text()).toBe('hello');
    const named = base64ToBlob({
      data: `data:text/plain;base64,${btoa('hi')}`,
      mimeType: 'text/plain',
      name: 'hi.txt',
    });
    expect((named as File).name).toBe('hi.txt');
    expect(await named.text()).toBe('hi');
  });

  it('rejects bad base64 with INVALID_INPUT', () => {
    let caught: unknown;
    try {
      base64ToBlob({ data: '%%%not base64', mimeType: 'text/plain' });
    } catch (error) {
      caught = error;
    }
    expect(isObjectStoreError(caught) && caught.code).toBe('INVALID_INPUT');
  });
});
