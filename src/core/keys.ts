/** Longest name part of a default key, in UTF-8 bytes: leaves room in the 1 kB presign request. */
const MAX_NAME_BYTES = 200;

function randomId(): string {
  const cryptoApi = globalThis.crypto;
  // randomUUID is missing outside secure contexts (plain-http pages other than localhost).
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The file's name without control characters or slashes, cut to whole characters within the byte budget. */
function namePart(file: Blob): string {
  const raw = typeof (file as Partial<File>).name === 'string' ? (file as File).name : '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = raw.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  const encoder = new TextEncoder();
  let name = '';
  let bytes = 0;
  for (const char of clean) {
    bytes += encoder.encode(char).length;
    if (bytes > MAX_NAME_BYTES) break;
    name += char;
  }
  return name || 'blob';
}

/**
 * The key an upload gets when the caller gives neither `key` nor `keyFor`:
 * `<random UUID v4>/<file name>`, e.g. `0b5e…-4c1a/report.pdf`.
 *
 * The UUID makes every upload its own object, so two files with the same contents (or the same
 * name) never collide and never overwrite each other; the name stays readable in listings and
 * is what a download suggests to save as. Control characters and slashes in the name become `_`,
 * and the name is cut to 200 UTF-8 bytes so the presign request stays under the store's 1 kB limit.
 */
export function defaultKeyFor(file: Blob): string {
  return `${randomId()}/${namePart(file)}`;
}

/** The caller's `keyFor`, else the default; what it returns is checked with the other input. */
export function keyForUpload(file: Blob, keyFor: ((file: Blob) => string) | undefined): string {
  return keyFor ? keyFor(file) : defaultKeyFor(file);
}
