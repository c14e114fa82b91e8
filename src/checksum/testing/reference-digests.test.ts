import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CRC32_POLYNOMIAL, CRC32C_POLYNOMIAL } from '../encoding';
import { LARGE_CASE, SMALL_CASES, seedFor } from './cases';
import { pseudoRandomParts } from './pseudo-random';
import { crcToBase64, referenceCrc } from './reference-crc';
import { referenceDigestsOfCase } from './reference-digests';
import table from './reference-digests.json';

const check = new TextEncoder().encode('123456789');

describe('reference CRCs', () => {
  it('match the published check values', () => {
    expect(referenceCrc(CRC32C_POLYNOMIAL, check)).toBe(0xe3069283);
    expect(referenceCrc(CRC32_POLYNOMIAL, check)).toBe(0xcbf43926);
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, and of 0xff.
    expect(referenceCrc(CRC32C_POLYNOMIAL, new Uint8Array(32))).toBe(0x8a9136aa);
    expect(referenceCrc(CRC32C_POLYNOMIAL, new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('carry across parts and agree with zlib', () => {
    const bytes = new Uint8Array(1000).map((_, i) => (i * 31) & 0xff);
    const whole = referenceCrc(CRC32_POLYNOMIAL, bytes);
    expect(
      referenceCrc(
        CRC32_POLYNOMIAL,
        bytes.subarray(300),
        referenceCrc(CRC32_POLYNOMIAL, bytes.subarray(0, 300)),
      ),
    ).toBe(whole);
    expect(whole).toBe(crc32(bytes));
    expect(crcToBase64(0xe3069283)).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
  });
});

describe('pseudo-random cases', () => {
  it('do not depend on how they are split into parts', () => {
    const whole = Buffer.concat([...pseudoRandomParts(7, 1001)]);
    const split = Buffer.concat([...pseudoRandomParts(7, 1001, 100)]);
    expect(split.equals(whole)).toBe(true);
    expect(new Set(whole).size).toBeGreaterThan(200);
  });

  it('reference-digests.json is what Node computes now', () => {
    for (const size of [...SMALL_CASES, LARGE_CASE]) {
      expect(table[String(size) as keyof typeof table], `size ${size}`).toEqual(
        referenceDigestsOfCase(seedFor(size), size),
      );
    }
    const sha = createHash('sha256')
      .update(Buffer.concat([...pseudoRandomParts(seedFor(1), 1)]))
      .digest('base64');
    expect(table['1'].SHA256).toBe(sha);
  }, 60_000);
});
