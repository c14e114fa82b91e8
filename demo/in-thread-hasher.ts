// Stand-in until the checksum worker (src/checksum) is on main: hashes in the page's thread.

import { createCRC32, createSHA1, createSHA256 } from 'hash-wasm';
import type { Hasher } from 'objectdrop';

export const inThreadHasher: Hasher = async (blob, type, options = {}) => {
  const hasher = await (type === 'SHA1'
    ? createSHA1()
    : type === 'SHA256'
      ? createSHA256()
      : createCRC32(type === 'CRC32C' ? 0x82f63b78 : undefined));
  hasher.init();
  const reader = blob.stream().getReader();
  let hashed = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    options.signal?.throwIfAborted();
    hasher.update(read.value);
    hashed += read.value.length;
    options.onProgress?.(hashed);
  }
  let binary = '';
  for (const byte of hasher.digest('binary')) binary += String.fromCharCode(byte);
  return btoa(binary);
};
