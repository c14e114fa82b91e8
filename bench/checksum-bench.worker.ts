// The ceilings computeChecksum is compared with, measured in a worker like the real thing.
import { createCRC32, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import { readBlobChunks } from '../src/checksum/blob-reader';
import { CRC32_POLYNOMIAL, CRC32C_POLYNOMIAL } from '../src/checksum/encoding';
import type { ChecksumType } from '../src/core/types';

export type BenchRequest =
  | { kind: 'load'; blob: Blob }
  | { kind: 'in-memory'; type: ChecksumType }
  | { kind: 'subtle'; type: ChecksumType; includeRead: boolean; blob: Blob }
  | { kind: 'read'; blob: Blob };

let buffer: Uint8Array | undefined;

const hashers: Record<ChecksumType, () => Promise<IHasher>> = {
  SHA1: createSHA1,
  SHA256: createSHA256,
  CRC32: () => createCRC32(CRC32_POLYNOMIAL),
  CRC32C: () => createCRC32(CRC32C_POLYNOMIAL),
};

async function run(request: BenchRequest): Promise<number> {
  switch (request.kind) {
    case 'load':
      buffer = new Uint8Array(await request.blob.arrayBuffer());
      return 0;
    case 'in-memory': {
      const hasher = await hashers[request.type]();
      const start = performance.now();
      hasher.init();
      hasher.update(buffer!);
      hasher.digest('binary');
      return performance.now() - start;
    }
    case 'subtle': {
      const name = request.type === 'SHA1' ? 'SHA-1' : 'SHA-256';
      const start = performance.now();
      const bytes = request.includeRead ? await request.blob.arrayBuffer() : buffer!;
      const startDigest = performance.now();
      await crypto.subtle.digest(name, bytes as BufferSource);
      return performance.now() - (request.includeRead ? start : startDigest);
    }
    case 'read': {
      const start = performance.now();
      for await (const _ of readBlobChunks(request.blob)) {
        // Reading only: the ceiling of any hashing that reads the Blob this way.
      }
      return performance.now() - start;
    }
  }
}

globalThis.addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    (ms) => globalThis.postMessage({ ms }),
    (error) => globalThis.postMessage({ error: String(error) }),
  );
});
