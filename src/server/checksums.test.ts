import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumOf, crc32, crc32c, crc32Portable, createHasher } from './checksums';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('CRC32C', () => {
  it.each([
    ['"123456789"', ascii('123456789'), 0xe3069283],
    ['32 zero bytes (RFC 3720)', new Uint8Array(32), 0x8a9136aa],
    ['32 0xFF bytes (RFC 3720)', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['0..31 (RFC 3720)', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['31..0 (RFC 3720)', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
    ['empty', new Uint8Array(0), 0],
  ])('of %s matches the published value', (_name, data, expected) => {
    expect(crc32c(0, data)).toBe(expected);
  });

  it('continues across chunks of any alignment', () => {
    const data = randomBytes(10_007);
    const whole = crc32c(0, data);
    for (const cut of [1, 7, 8, 9, 4096, 10_000]) {
      expect(crc32c(crc32c(0, data.subarray(0, cut)), data.subarray(cut))).toBe(whole);
    }
  });
});

describe('CRC32', () => {
  it('of "123456789" is 0xCBF43926', () => {
    expect(crc32(0, ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32Portable(0, ascii('123456789'))).toBe(0xcbf43926);
  });

  it('portable and native agree across chunks', () => {
    const data = randomBytes(10_007);
    expect(crc32Portable(crc32Portable(0, data.subarray(0, 13)), data.subarray(13))).toBe(crc32(0, data));
  });
});

describe('createHasher', () => {
  it('encodes digests as base64 of the raw bytes, CRCs big-endian', () => {
    const data = ascii('123456789');
    expect(checksumOf('CRC32C', data)).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
    expect(checksumOf('CRC32', data)).toBe(Buffer.from([0xcb, 0xf4, 0x39, 0x26]).toString('base64'));
    expect(checksumOf('SHA1', data)).toBe(createHash('sha1').update(data).digest('base64'));
    expect(checksumOf('SHA256', data)).toBe(createHash('sha256').update(data).digest('base64'));
  });

  it('gives the same digest fed in pieces', () => {
    const data = randomBytes(70_001);
    for (const type of ['SHA1', 'SHA256', 'CRC32', 'CRC32C'] as const) {
      const hasher = createHasher(type);
      for (let i = 0; i < data.length; i += 65_536) hasher.update(data.subarray(i, i + 65_536));
      expect(hasher.digest()).toBe(checksumOf(type, data));
    }
  });
});
