import { describe, expect, it } from 'vitest';
import { defaultKeyFor } from './keys';

describe('defaultKeyFor', () => {
  it('gives each upload its own key, even for the same name and contents', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => defaultKeyFor(new File(['same'], 'same.txt'))));
    expect(keys.size).toBe(1000);
  });

  it('keeps a readable name, without slashes or control characters, cut to 200 UTF-8 bytes', () => {
    expect(defaultKeyFor(new File(['x'], 'a/b\u0000c.txt'))).toMatch(/^[0-9a-f-]{36}\/a_b_c\.txt$/);
    expect(defaultKeyFor(new Blob(['x']))).toMatch(/\/blob$/);
    const long = defaultKeyFor(new File(['x'], '😀'.repeat(100)));
    const name = long.slice(long.indexOf('/') + 1);
    expect(new TextEncoder().encode(name).length).toBe(200);
    expect(name).toBe('😀'.repeat(50));
  });
});
