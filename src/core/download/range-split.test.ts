import { describe, expect, it } from 'vitest';
import { splitPoint } from './range-split';

const MiB = 1024 * 1024;
const options = { minPiece: 8 * MiB, align: MiB };

describe('splitPoint', () => {
  it('splits what is left in the middle, on a write boundary', () => {
    expect(splitPoint(0, 64 * MiB, options)).toBe(32 * MiB);
    expect(splitPoint(10 * MiB + 5, 64 * MiB, options)).toBe(38 * MiB);
  });

  it('rounds up, so the first half never ends before the middle', () => {
    expect(splitPoint(1, 32 * MiB + 1, options)).toBe(17 * MiB);
  });

  it('leaves a range alone when either half would be under the smallest piece', () => {
    expect(splitPoint(0, 16 * MiB, options)).toBe(8 * MiB);
    expect(splitPoint(0, 16 * MiB - 1, options)).toBeUndefined();
    expect(splitPoint(5, 16 * MiB + 5, options)).toBeUndefined();
    expect(splitPoint(0, 0, options)).toBeUndefined();
  });
});
