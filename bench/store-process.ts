// The local object store in a process of its own, for the benchmarks: it stands for a remote server,
// and in the benchmark's own process it would share one event loop with Playwright's driver and the
// memory sampler. On a 2-core machine it still shares the CPU with the browser; BENCH_STORE_NICE
// (default 0) lowers its priority to see how much of a figure is that contention.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface StoreProcess {
  url: string;
  pid: number | undefined;
  close(): Promise<void>;
}

const repo = fileURLToPath(new URL('..', import.meta.url));

export async function startStoreProcess(dir: string, flags: string[] = []): Promise<StoreProcess> {
  const nice = Number(process.env.BENCH_STORE_NICE ?? 0);
  const extra = process.env.BENCH_STORE_IMPORT; // a diagnostic module to load into the store
  const args = [
    ...(nice ? ['-n', String(nice), process.execPath] : []),
    '--import',
    'tsx',
    ...(extra ? ['--import', extra] : []),
    'scripts/objectdrop-dev.ts',
    'serve',
    '--dir',
    dir,
    '--port',
    '0',
    '--cors-origin',
    '*',
    ...flags,
  ];
  const child: ChildProcess = spawn(nice ? 'nice' : process.execPath, args, {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = /listening on (\S+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the store exited (${code}) before listening: ${seen}`)));
  });
  return {
    url,
    pid: child.pid,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
