// Runs the CLI from source (no build): `npx tsx scripts/objectdrop-dev.ts serve …`.
import { runCli } from '../src/server/cli';

runCli(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
