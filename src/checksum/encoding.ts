// Kept apart from hashers.ts so the page's bundle need not pull in hash-wasm: the page only
// hashes on its own thread when no worker can run, and then loads the hashers on demand.

/** Reflected polynomials: zlib's CRC32 and Castagnoli's CRC32C (the one S3 calls `crc32c`). */
export const CRC32_POLYNOMIAL = 0xedb88320;
export const CRC32C_POLYNOMIAL = 0x82f63b78;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
