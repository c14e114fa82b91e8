// Deterministic bytes that Node and the browser both generate, so Node can compute reference digests
// of the very bytes a browser test hashes without shipping them.

const PART = 16 * 1024 * 1024;

/** xorshift32 words, written little-endian; `seed` must not be 0. */
export function* pseudoRandomParts(
  seed: number,
  size: number,
  partSize = PART,
): Generator<Uint8Array<ArrayBuffer>> {
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < size; offset += partSize) {
    const length = Math.min(partSize, size - offset);
    const bytes = new Uint8Array(length);
    const view = new DataView(bytes.buffer);
    const whole = length - (length % 4);
    for (let i = 0; i < whole; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      view.setUint32(i, state >>> 0, true);
    }
    if (whole < length) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      for (let i = whole; i < length; i++) bytes[i] = (state >>> (8 * (i - whole))) & 0xff;
    }
    yield bytes;
  }
}

export function pseudoRandomBlob(seed: number, size: number): Blob {
  return new Blob([...pseudoRandomParts(seed, size)]);
}
