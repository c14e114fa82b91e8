import { CHUNK_SIZE } from '../blob-reader';

const MiB = 1024 * 1024;

/** Sizes every algorithm is checked on in the browser, against digests Node computed for the same bytes. */
export const SMALL_CASES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * MiB + 5, 9 * MiB + 3];

/** The large in-page case (in-page Blobs must stay ≤ 384 MiB in headless Chromium). */
export const LARGE_CASE = 300 * MiB;

export const seedFor = (size: number) => (size * 2654435761 + 0x5eed) >>> 0 || 1;
