// Renderer memory for the benchmarks, from /proc (Linux only). The renderers are found once, before a
// run; while it runs only their status files are read, one sample at a time, so the sampler itself
// barely competes with the page for the CPU (scanning all of /proc every 100 ms, overlapping, did).
import { readdir, readFile } from 'node:fs/promises';

const MiB = 1024 * 1024;

export async function processes(): Promise<Array<{ pid: number; ppid: number; cmd: string }>> {
  const found: Array<{ pid: number; ppid: number; cmd: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      found.push({ pid: Number(entry), ppid, cmd });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The browser process: the one launched with `marker` on its command line, not one of its children. */
export async function browserPidByMarker(marker: string): Promise<number | undefined> {
  return (await processes()).find((p) => p.cmd.includes(marker) && !p.cmd.includes('--type='))?.pid;
}

/** The processes `rootPids` and everything they started, from one scan of /proc. */
export async function descendants(
  rootPids: number[],
): Promise<Array<{ pid: number; ppid: number; cmd: string }>> {
  const all = await processes();
  const family = new Set(rootPids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all)
      if (!family.has(p.pid) && family.has(p.ppid)) {
        family.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => family.has(p.pid));
}

/** Renderer processes descending from `browserPid`. */
export async function rendererPids(browserPid: number): Promise<number[]> {
  return (await descendants([browserPid])).filter((p) => p.cmd.includes('--type=renderer')).map((p) => p.pid);
}

/** Resident bytes, and their kinds: private (heap), file-backed (code), shared memory (IPC pipes). */
export interface Resident {
  total: number;
  anon: number;
  file: number;
  shmem: number;
}

/** Resident bytes of these processes (ended ones count 0). */
export async function residentOf(pids: number[]): Promise<Resident> {
  const sum: Resident = { total: 0, anon: 0, file: 0, shmem: 0 };
  const field = (status: string, name: string) =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    sum.total += field(status, 'VmRSS');
    sum.anon += field(status, 'RssAnon');
    sum.file += field(status, 'RssFile');
    sum.shmem += field(status, 'RssShmem');
  }
  return sum;
}

/**
 * Runs `run` while sampling the renderers' RSS every `everyMs`, and gives the peak growth over the
 * RSS just before it. `before` runs first (a collection, a pause) so earlier garbage does not count.
 */
export async function peakRssGrowth<T>(
  browserPid: number | undefined,
  run: () => Promise<T>,
  options: { everyMs?: number; before?: () => Promise<unknown> } = {},
): Promise<{ result: T; growth: number; parts: Omit<Resident, 'total'> }> {
  const none = { anon: Number.NaN, file: Number.NaN, shmem: Number.NaN };
  if (browserPid === undefined) return { result: await run(), growth: Number.NaN, parts: none };
  await options.before?.();
  const pids = await rendererPids(browserPid);
  const base = await residentOf(pids);
  let peak = base;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const now = await residentOf(pids);
      if (now.total > peak.total) peak = now;
      await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
    }
  })();
  try {
    const result = await run();
    // What the peak held more than the start, by kind: the shares say whose the growth is.
    const parts = {
      anon: peak.anon - base.anon,
      file: peak.file - base.file,
      shmem: peak.shmem - base.shmem,
    };
    return { result, growth: peak.total - base.total, parts };
  } finally {
    running = false;
    await sampler;
  }
}

export const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
