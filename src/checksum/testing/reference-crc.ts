// Table-driven CRC32/CRC32C written from the definition: the reference hash-wasm is checked against.

function table(polynomial: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const tables = new Map<number, Uint32Array>();

/** Running CRC: start from 0, feed parts in order. */
export function referenceCrc(polynomial: number, bytes: Uint8Array, previous = 0): number {
  let t = tables.get(polynomial);
  if (!t) {
    t = table(polynomial);
    tables.set(polynomial, t);
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export { crcToBase64 } from '../crc-combine';
