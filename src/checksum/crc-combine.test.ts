import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { combineCrc, crcFromBase64, crcToBase64 } from './crc-combine';
import { CRC32C_POLYNOMIAL } from './encoding';
import { pseudoRandomParts } from './testing/pseudo-random';
import { referenceCrc } from './testing/reference-crc';

const bytes = Buffer.concat([...pseudoRandomParts(11, 70_001)]);
const crcc = (b: Uint8Array) => referenceCrc(CRC32C_POLYNOMIAL, b);

describe('combineCrc', () => {
  for (const cut of [0, 1, 4096, 33_333, 70_000, 70_001]) {
    it(`joins parts cut at ${cut}`, () => {
      const a = bytes.subarray(0, cut);
      const b = bytes.subarray(cut);
      expect(combineCrc('CRC32', crc32(a), crc32(b), b.length)).toBe(crc32(bytes));
      expect(combineCrc('CRC32C', crcc(a), crcc(b), b.length)).toBe(crcc(bytes));
    });
  }

  it('folds many parts left to right', () => {
    let crc = 0;
    for (let start = 0; start < bytes.length; start += 9000) {
      const part = bytes.subarray(start, start + 9000);
      crc = combineCrc('CRC32C', crc, crcc(part), part.length);
    }
    expect(crc).toBe(crcc(bytes));
  });

  it('joins a part of 512 MiB and more (past the 32 powers zlib keeps)', () => {
    const zeros = new Uint8Array(16 * 2 ** 20);
    const length = 2 ** 29 + 5;
    const a = new TextEncoder().encode('abc');
    for (const [type, crc] of [
      ['CRC32', (b: Uint8Array, previous = 0) => crc32(b, previous)],
      ['CRC32C', (b: Uint8Array, previous = 0) => referenceCrc(CRC32C_POLYNOMIAL, b, previous)],
    ] as const) {
      let crcB = crc(zeros.subarray(0, 5));
      let whole = crc(zeros.subarray(0, 5), crc(a));
      for (let i = 0; i < 2 ** 29 / zeros.length; i++) {
        crcB = crc(zeros, crcB);
        whole = crc(zeros, whole);
      }
      expect(combineCrc(type, crc(a), crcB, length), type).toBe(whole);
    }
  }, 60_000);

  it('handles lengths past 4 GiB', () => {
    // Shifting A past B is multiplying by x^(8·|B|): shifting by m then n must equal shifting by m+n.
    const a = crc32('a');
    const oneStep = combineCrc('CRC32', a, 0, 2 ** 32 + 3);
    const twoSteps = combineCrc('CRC32', combineCrc('CRC32', a, 0, 2 ** 32), 0, 3);
    expect(oneStep).toBe(twoSteps);
    expect(oneStep).not.toBe(combineCrc('CRC32', a, 0, 3));
  });

  it('round-trips the base64 form and refuses bad input', () => {
    expect(crcToBase64(0xe3069283)).toBe('4waSgw==');
    expect(crcFromBase64('4waSgw==')).toBe(0xe3069283);
    expect(() => combineCrc('SHA1' as 'CRC32', 1, 2, 3)).toThrow(/CRC32/);
    expect(() => combineCrc('CRC32', 1, 2, -1)).toThrow(/length/);
    expect(() => crcFromBase64('AAAA')).toThrow(/CRC/);
  });
});
