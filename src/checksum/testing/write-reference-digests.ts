// Regenerates reference-digests.json: `npx tsx src/checksum/testing/write-reference-digests.ts`.
// reference-digests.test.ts checks the file against a fresh computation, so it cannot drift.
import { writeFileSync } from 'node:fs';
import { LARGE_CASE, SMALL_CASES, seedFor } from './cases';
import { referenceDigestsOfCase } from './reference-digests';

const table = Object.fromEntries(
  [...SMALL_CASES, LARGE_CASE].map((size) => [size, referenceDigestsOfCase(seedFor(size), size)]),
);
writeFileSync(new URL('./reference-digests.json', import.meta.url), `${JSON.stringify(table, null, 2)}\n`);
