import type { ChecksumConfig } from './config';
import { sharedPool } from './pool';

export { CHUNK_SIZE } from './blob-reader';
export { type ComputeChecksumOptions, computeChecksum } from './compute';
export type { ChecksumConfig } from './config';
export { combineCrc, crcFromBase64, crcToBase64 } from './crc-combine';
export { type ChecksumSession, type ChecksumSessionOptions, createChecksumSession } from './session';

/** Changes the checksum worker pool (size, idle timeout, how workers are made). Merged with earlier calls. */
export function configureChecksums(config: ChecksumConfig): void {
  sharedPool().configure(config);
}
