/**
 * `npm run bench:server`: the local store against bare node:http servers, side by side, over
 * loopback with curl as the client (its own process, so client work does not share our cores'
 * event loop). Prints medians in MB/s (10^6 B/s) and the ratios the server issue targets:
 *   GET  ≥ 0.8 × bare source (streams the same file from disk)
 *   PUT  ≥ 0.8 × bare sink hashing with the same algorithm (SHA-256)
 *   store RSS growth < 64 MiB while it moves ≥ 1 GiB.
 * Each server runs in its own child process (`tsx bench/server.ts serve-store|serve-bare`).
 */
import { execFile, fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalObjectStore } from '../src/server/start';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const run = promisify(execFile);

interface Ready {
  url: string;
}

/** Peak RSS of this process, sampled, so the parent can ask for growth over a phase. */
function rssTracker() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  timer.unref();
  return {
    reset() {
      peak = process.memoryUsage.rss();
      return peak;
    },
    peak: () => Math.max(peak, process.memoryUsage.rss()),
  };
}

async function serveStore(dir: string): Promise<Ready> {
  const rss = rssTracker();
  const running = await startLocalObjectStore({ port: 0, dir, corsOrigins: ['*'] });
  running.server.prependListener('request', (req, res) => {
    if (req.url === '/_bench/rss-reset') res.end(String(rss.reset()));
    if (req.url === '/_bench/rss-peak') res.end(String(rss.peak()));
  });
  return { url: running.url };
}

async function serveBare(source: string, writeDir: string): Promise<Ready> {
  let files = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Length': String(SIZE), 'Content-Type': 'application/octet-stream' });
      // A FileHandle stream: faster here than createReadStream(path), and what the store uses.
      open(source)
        .then((handle) =>
          pipeline(handle.createReadStream({ highWaterMark: MiB }), res).finally(() => handle.close()),
        )
        .catch(() => undefined);
      return;
    }
    const hash = req.url === '/' ? undefined : createHash('sha256');
    const file = req.url === '/hash-file' ? join(writeDir, `sink-${files++}`) : undefined;
    const out = file ? createWriteStream(file, { highWaterMark: 4 * MiB }) : undefined;
    req.on('data', (chunk: Buffer) => {
      hash?.update(chunk);
      if (out && !out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      const answer = () => res.end(hash ? hash.digest('base64') : 'ok');
      if (!out) return answer();
      out.end(() => rm(file!).then(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function child(mode: string, ...args: string[]): Promise<Ready & { kill(): void }> {
  const proc = fork(fileURLToPath(import.meta.url), [mode, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('message', (message) => resolve({ ...(message as Ready), kill: () => proc.kill() }));
    proc.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

async function curl(args: string[]): Promise<number> {
  const { stdout } = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-H',
    'Expect:',
    '-w',
    '%{http_code} %{size_upload} %{size_download} %{time_total}',
    ...args,
  ]);
  const [status, up, down, seconds] = stdout.trim().split(' ').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (status < 200 || status > 299) throw new Error(`curl ${args.join(' ')} → ${status}`);
  return Math.max(up, down) / seconds / 1e6;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'objectdrop-bench-'));
  const fixture = join(work, 'fixture.bin');
  const hash = createHash('sha256');
  const out = createWriteStream(fixture);
  for (let written = 0; written < SIZE; written += 16 * MiB) {
    const block = randomBytes(16 * MiB);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  const checksum = hash.digest('base64');
  // tmpfs isolates the store's own cost from this VM's disk, which is slower than loopback.
  const memory = (await stat('/dev/shm').catch(() => undefined))?.isDirectory()
    ? await mkdtemp('/dev/shm/objectdrop-bench-')
    : undefined;
  const onDisk = await child('serve-store', join(work, 'store'));
  const inMemory = memory ? await child('serve-store', join(memory, 'store')) : undefined;
  const bare = await child('serve-bare', fixture, work);
  try {
    const presign = async (store: Ready, path: string, body: unknown) => {
      const response = await fetch(`${store.url}/api/v1/${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { url: string }).url;
    };
    const put = async (store: Ready) =>
      curl([
        '-T',
        fixture,
        await presign(store, 'upload-url', { key: 'bench', length: SIZE, checksum, checksumType: 'SHA256' }),
      ]);
    const get = async (store: Ready) => curl([await presign(store, 'download-url', { key: 'bench' })]);
    const cases: Array<[string, () => Promise<number>]> = [
      ['PUT bare sink', () => curl(['-T', fixture, `${bare.url}/`])],
      ['PUT bare sink + SHA-256', () => curl(['-T', fixture, `${bare.url}/hash`])],
      ['PUT bare sink + SHA-256 + file', () => curl(['-T', fixture, `${bare.url}/hash-file`])],
      ['PUT store, disk', () => put(onDisk)],
      ...(inMemory
        ? ([['PUT store, tmpfs', () => put(inMemory)]] as Array<[string, () => Promise<number>]>)
        : []),
      ['GET bare source', () => curl([bare.url])],
      ['GET store, disk', () => get(onDisk)],
    ];
    const results = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    await put(onDisk); // warm-up: page cache, JIT
    const rssStart = Number(await (await fetch(`${onDisk.url}/_bench/rss-reset`)).text());
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, measure] of cases) results.get(name)!.push(await measure());
    const movedByStore = ROUNDS * 2 * SIZE;
    const rssPeak = Number(await (await fetch(`${onDisk.url}/_bench/rss-peak`)).text());
    const m = (name: string) => median(results.get(name)!);
    console.log(
      `objectdrop bench:server: ${SIZE / MiB} MiB over loopback, curl client, median of ${ROUNDS} rounds`,
    );
    for (const [name] of cases) console.log(`  ${name.padEnd(32)} ${m(name).toFixed(0).padStart(6)} MB/s`);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const ratio = (label: string, value: number, target?: number) =>
      console.log(
        `  ${label.padEnd(44)} ${value.toFixed(2)}${target === undefined ? '' : `  (target >= ${target.toFixed(2)}: ${verdict(value >= target)})`}`,
      );
    ratio('GET store / bare source', m('GET store, disk') / m('GET bare source'), 0.8);
    if (inMemory)
      ratio('PUT store on tmpfs / hashing sink', m('PUT store, tmpfs') / m('PUT bare sink + SHA-256'), 0.8);
    ratio(
      'PUT store on disk / hashing sink',
      m('PUT store, disk') / m('PUT bare sink + SHA-256'),
      inMemory ? undefined : 0.8,
    );
    ratio(
      'PUT store on disk / hashing sink writing file',
      m('PUT store, disk') / m('PUT bare sink + SHA-256 + file'),
    );
    const growth = (rssPeak - rssStart) / MiB;
    console.log(
      `  store RSS growth over ${(movedByStore / 1024 ** 3).toFixed(1)} GiB moved: ${growth.toFixed(1)} MiB  (target < 64: ${verdict(growth < 64)})`,
    );
  } finally {
    for (const proc of [onDisk, inMemory, bare]) proc?.kill();
    await rm(work, { recursive: true, force: true });
    if (memory) await rm(memory, { recursive: true, force: true });
  }
}

const [mode, arg, arg2] = process.argv.slice(2);
if (mode === 'serve-store' || mode === 'serve-bare') {
  const ready = mode === 'serve-store' ? await serveStore(arg!) : await serveBare(arg!, arg2!);
  process.send?.(ready);
} else {
  await main();
}
