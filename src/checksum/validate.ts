import { ObjectStoreError } from '../core/errors';
import { CHECKSUM_TYPES, type ChecksumType } from '../core/types';

export function assertChecksumType(type: unknown): asserts type is ChecksumType {
  if (!CHECKSUM_TYPES.includes(type as ChecksumType)) {
    throw new ObjectStoreError(
      'INVALID_INPUT',
      `Unknown checksum type ${JSON.stringify(type)}: expected one of ${CHECKSUM_TYPES.join(', ')}.`,
    );
  }
}

export function assertBlob(blob: unknown): asserts blob is Blob {
  if (typeof Blob === 'undefined' || !(blob instanceof Blob)) {
    throw new ObjectStoreError('INVALID_INPUT', 'computeChecksum needs a Blob or File.');
  }
}
