// The benchmarks' on-disk input: random bytes, so nothing on the way (disk, network, hash) gets an easy case.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';

const PIECE = 16 * 1024 * 1024;

/** Writes `size` random bytes to `path`, handing each piece to `each` on the way (for digests). */
export async function writeRandomFile(
  path: string,
  size: number,
  each: (piece: Buffer) => void = () => {},
): Promise<void> {
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += PIECE) {
    const piece = randomBytes(Math.min(PIECE, size - written));
    each(piece);
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}
