import { ObjectStoreError } from '../core/errors';

/** What the Forge file picker produces: the file's bytes as base64 (or a data: URL) and its type. */
export interface Base64Object {
  data: string;
  mimeType: string;
  /** Kept as the file name where known. */
  name?: string;
}

export function isBase64Object(value: unknown): value is Base64Object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Blob) &&
    typeof (value as Base64Object).data === 'string' &&
    typeof (value as Base64Object).mimeType === 'string'
  );
}

/** Decodes to a Blob of `mimeType` (a File when `name` is given). Bad base64 is `INVALID_INPUT`. */
export function base64ToBlob(object: Base64Object): Blob {
  const comma = object.data.startsWith('data:') ? object.data.indexOf(',') : -1;
  const payload = object.data.slice(comma + 1).replace(/\s/g, '');
  let binary: string;
  try {
    binary = atob(payload);
  } catch (cause) {
    throw new ObjectStoreError('INVALID_INPUT', 'The object’s `data` is not valid base64.', { cause });
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return object.name
    ? new File([bytes], object.name, { type: object.mimeType })
    : new Blob([bytes], { type: object.mimeType });
}
