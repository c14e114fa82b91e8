// Diagnostic for bench:upload (b): CPU time per process and per thread name (from /proc, Linux only)
// spent by the browser, its renderer and network service, and the store process, inside the clock of
// one raw run and one objectdrop run of 200 × 1 MiB, and the requests the store received. Run under
// the bench lock:
//   flock /work/bench.lock npx tsx bench/upload-cpu.ts
// Env: BENCH_RUNS (2); PROFILE=1 adds a CPU profile of the page's main thread during objectdrop's run;
// HASH_EXP=computeChecksum,arrayBuffer,FileReaderSync,read-only,digest-only,compositeN,mainN,put-blob,
// put-buffer measures ways of hashing (or PUTting) the 200 files instead.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../scripts/chromium';
import { browserPidByMarker, descendants, processes } from './renderer-memory';
import { startStoreProcess } from './store-process';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 2);
const MiB = 1024 * 1024;
const TICK_MS = 10;

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
}

function kindOf(cmd: string): string {
  if (cmd.includes('objectdrop-dev.ts')) return 'store';
  const type = /--type=(\S+)/.exec(cmd)?.[1];
  if (!type) return 'browser';
  if (type === 'utility') return `utility:${/--utility-sub-type=(\S+)/.exec(cmd)?.[1] ?? '?'}`;
  return type;
}

/** CPU ticks per "kind/thread-name" over the given processes' threads. */
async function ticks(procs: Proc[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of procs) {
    const kind = kindOf(p.cmd);
    let tasks: string[] = [];
    try {
      tasks = await readdir(`/proc/${p.pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const stat = await readFile(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = stat
          .slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
          .replace(/\d+$/, '#')
          .replace(/:\d+/, ':#');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const t = Number(fields[11]) + Number(fields[12]);
        const key = `${kind} / ${name}`;
        out.set(key, (out.get(key) ?? 0) + t);
      } catch {}
    }
  }
  return out;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function of a CDP CPU profile (main thread of the page), the top 30. */
function printProfile(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const node = byId.get(samples[i]!)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anon)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  page main-thread profile: ${total.toFixed(0)} ms sampled`);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${key}`);
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'objectdrop-bench-cpu-'));
  process.env.BENCH_STORE_IMPORT = './bench/count-requests.ts';
  const store = await startStoreProcess(join(work, 'store'), [
    '--requests-per-minute',
    '1000000000',
    '--presigns-per-second',
    '1000000000',
  ]);
  const vite = await createServer({
    configFile: false,
    root: join(root, 'bench/upload-page'),
    logLevel: 'error',
    worker: { format: 'es' },
    server: { host: '127.0.0.1', port: 0, fs: { allow: [root] } },
  });
  await vite.listen();
  const marker = `--objectdrop-bench=${process.pid}`;
  const launch = await chromiumLaunchOptions();
  const browser = await chromium.launch({ ...launch, args: [...launch.args, marker] });
  const browserPid = (await browserPidByMarker(marker))!;
  try {
    const page = await browser.newPage();
    await page.goto(vite.resolvedUrls!.local[0]!);
    await page.waitForFunction(() => document.title === 'bench ready');
    await page.evaluate((url) => window.bench.warmUp(url), store.url);
    await page.evaluate(([count, size]) => window.bench.makeSmallFiles(count, size), [200, MiB] as const);
    const storePids = (await processes()).filter((p) => p.cmd.includes(work)).map((p) => p.pid);
    let procs: Proc[] = [];
    let before = new Map<string, number>();
    let after = new Map<string, number>();
    await page.exposeFunction('benchMark', async (what: string) => {
      if (what === 'start') before = await ticks(procs);
      else after = await ticks(procs);
      process.kill(store.pid!, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (what === 'end') console.log('  (the store requests just above were inside the clock)');
    });
    const measure = async (label: string, run: () => Promise<{ ms: number }>) => {
      procs = await descendants([browserPid, ...storePids]);
      const { ms } = await run();
      const rows: Array<[string, number]> = [];
      const byKind = new Map<string, number>();
      for (const [key, t] of after) {
        const d = (t - (before.get(key) ?? 0)) * TICK_MS;
        if (d <= 0) continue;
        rows.push([key, d]);
        const kind = key.split(' / ')[0]!;
        byKind.set(kind, (byKind.get(kind) ?? 0) + d);
      }
      const total = [...byKind.values()].reduce((a, b) => a + b, 0);
      console.log(`\n${label}: wall ${ms.toFixed(0)} ms, CPU ${total} ms (${(total / ms).toFixed(2)} cores)`);
      for (const [kind, d] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${kind}: ${d} ms`);
      for (const [key, d] of rows.sort((a, b) => b[1] - a[1]).filter(([, d]) => d >= 30))
        console.log(`    ${key}: ${d} ms`);
    };
    const srcUrl = `/@fs${root}src/core/index.ts`;
    if (process.env.HASH_EXP) {
      await page.evaluate('window.__name = (f) => f');
      await page.evaluate((url) => {
        (window as unknown as { storeUrl: string }).storeUrl = url;
      }, store.url);
      await page.evaluate(() => {
        (window as unknown as { smallFilesForExp: Blob[] }).smallFilesForExp = Array.from(
          { length: 200 },
          () => {
            const bytes = new Uint8Array(1048576);
            for (let at = 0; at < bytes.length; at += 65536)
              crypto.getRandomValues(bytes.subarray(at, at + 65536));
            return new Blob([bytes]);
          },
        );
      });
      for (const how of process.env.HASH_EXP === '1'
        ? ['computeChecksum', 'arrayBuffer', 'FileReaderSync', 'arrayBuffer-batch']
        : process.env.HASH_EXP!.split(',')) {
        await measure(`hash 200 × 1 MiB: ${how}`, () =>
          page.evaluate(
            async ([how, checksumUrl]) => {
              const mark = (window as unknown as { benchMark: (w: string) => Promise<void> }).benchMark;
              const files = (window as unknown as { smallFilesForExp: Blob[] }).smallFilesForExp;
              if (how.startsWith('put-')) {
                const { createHttpBackend } = await import(
                  /* @vite-ignore */ checksumUrl.replace('checksum/index.ts', 'core/index.ts')
                );
                const { computeChecksum } = await import(/* @vite-ignore */ checksumUrl);
                const backend = createHttpBackend({
                  baseUrl: (window as unknown as { storeUrl: string }).storeUrl,
                });
                const urls: string[] = [];
                const bodies: Array<Blob | ArrayBuffer> = [];
                for (const [i, blob] of files.entries()) {
                  const checksum = await computeChecksum(blob, 'SHA256');
                  urls.push(
                    (
                      await backend.createUploadUrl({
                        key: `${how}/${i}`,
                        length: blob.size,
                        checksum,
                        checksumType: 'SHA256',
                      })
                    ).url,
                  );
                  bodies.push(how === 'put-buffer' ? await blob.arrayBuffer() : blob);
                }
                const put = (url: string, body: Blob | ArrayBuffer) =>
                  new Promise<void>((resolve, reject) => {
                    const xhr = new XMLHttpRequest();
                    xhr.open('PUT', url);
                    xhr.setRequestHeader('content-type', 'application/octet-stream');
                    xhr.upload.onprogress = () => {};
                    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(String(xhr.status))));
                    xhr.onerror = () => reject(new Error('PUT failed'));
                    xhr.send(body);
                  });
                let next = 0;
                await mark('start');
                const started = performance.now();
                await Promise.all(
                  Array.from({ length: 4 }, async () => {
                    for (let i = next++; i < urls.length; i = next++) await put(urls[i]!, bodies[i]!);
                  }),
                );
                const ms = performance.now() - started;
                await mark('end');
                return { ms };
              }
              if (how === 'computeChecksum') {
                const { computeChecksum } = await import(/* @vite-ignore */ checksumUrl);
                await computeChecksum(files[0], 'SHA256');
                let next = 0;
                await mark('start');
                const started = performance.now();
                await Promise.all(
                  Array.from({ length: 4 }, async () => {
                    for (let i = next++; i < files.length; i = next++)
                      await computeChecksum(files[i], 'SHA256');
                  }),
                );
                const ms = performance.now() - started;
                await mark('end');
                return { ms };
              }
              const code = `
                onmessage = async ({ data }) => {
                  const out = [];
                  if (data.how.startsWith('main')) {
                    const all = new Uint8Array(await data.blob.arrayBuffer());
                    let at = 0;
                    for (const size of data.sizes) {
                      out.push(await crypto.subtle.digest('SHA-256', all.subarray(at, at + size)));
                      at += size;
                    }
                  } else if (data.how.startsWith('composite')) {
                    const all = new Uint8Array(await new Blob(data.blobs).arrayBuffer());
                    let at = 0;
                    for (const blob of data.blobs) {
                      out.push(await crypto.subtle.digest('SHA-256', all.subarray(at, at + blob.size)));
                      at += blob.size;
                    }
                  } else if (data.how === 'digest-only') {
                    self.buf ??= await data.blobs[0].arrayBuffer();
                    for (const blob of data.blobs) out.push(await crypto.subtle.digest('SHA-256', self.buf));
                  } else
                  for (const blob of data.blobs) {
                    const buf = data.how === 'FileReaderSync' ? new FileReaderSync().readAsArrayBuffer(blob) : await blob.arrayBuffer();
                    if (data.how !== 'read-only') out.push(await crypto.subtle.digest('SHA-256', buf));
                  }
                  postMessage(out.length);
                };`;
              const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
              const workers = [new Worker(url), new Worker(url)];
              const run = (w: Worker, blobs: Blob[]) =>
                new Promise((resolve) => {
                  w.onmessage = resolve;
                  if (how.startsWith('main'))
                    w.postMessage({ how, blob: new Blob(blobs), sizes: blobs.map((b) => b.size) });
                  else w.postMessage({ how, blobs });
                });
              await Promise.all(workers.map((w) => run(w, files.slice(0, 1))));
              const per =
                how === 'arrayBuffer-batch'
                  ? 8
                  : how.startsWith('composite')
                    ? Number(how.slice(9) || 8)
                    : how.startsWith('main')
                      ? Number(how.slice(4))
                      : 1;
              let next = 0;
              await mark('start');
              const started = performance.now();
              await Promise.all(
                workers.map(async (w) => {
                  for (let i = next; i < files.length; i = next) {
                    next += per;
                    await run(w, files.slice(i, i + per));
                  }
                }),
              );
              const ms = performance.now() - started;
              await mark('end');
              for (const w of workers) w.terminate();
              return { ms };
            },
            [how, `/@fs${root}src/checksum/index.ts`] as const,
          ),
        );
      }
      return;
    }
    for (let run = 0; run < runs; run += 1) {
      await measure('200 presigns alone, 4 at a time', () =>
        page.evaluate(
          async ([url, src, p]) => {
            const { createHttpBackend } = await import(/* @vite-ignore */ src);
            const backend = createHttpBackend({ baseUrl: url });
            const mark = (window as unknown as { benchMark: (w: string) => Promise<void> }).benchMark;
            let next = 0;
            await mark('start');
            const started = performance.now();
            await Promise.all(
              Array.from({ length: 4 }, async () => {
                for (let i = next++; i < 200; i = next++)
                  await backend.createUploadUrl({
                    key: `${p}/${i}`,
                    length: 1048576,
                    checksum: `${'A'.repeat(43)}=`,
                    checksumType: 'SHA256',
                    contentType: 'application/octet-stream',
                  });
              }),
            );
            const ms = performance.now() - started;
            await mark('end');
            return { ms };
          },
          [store.url, srcUrl, `presign-${run}`] as const,
        ),
      );
      await measure('raw', () =>
        page.evaluate(([url, p]) => window.bench.manyRaw(url, p), [store.url, `raw-${run}`] as const),
      );
      const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : undefined;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await measure('objectdrop', () =>
        page.evaluate(([url, p]) => window.bench.manyEndToEnd(url, p), [store.url, `ours-${run}`] as const),
      );
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        printProfile(profile);
      }
      await measure('objectdrop, checksums given', () =>
        page.evaluate(([url, p]) => window.bench.manyEndToEnd(url, p, true), [
          store.url,
          `given-${run}`,
        ] as const),
      );
    }
  } finally {
    await browser.close();
    await vite.close();
    await store.close();
    await rm(work, { recursive: true, force: true });
  }
}

declare global {
  interface Window {
    bench: typeof import('./upload-page/main')['bench'];
  }
}

await main();
