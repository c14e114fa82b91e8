/**
 * `npm run bench:server`: the local store against bare node:http servers, side by side, over
 * loopback with curl as the client (its own process, so client work does not share our cores'
 * event loop). Prints medians in MB/s (10^6 B/s) and the ratios the server issue targets:
 *   GET  ≥ 0.8 × bare source (streams the same file from disk)
 *   PUT  ≥ 0.8 × bare sink hashing with the same algorithm (SHA-256)
 *   store RSS growth < 64 MiB while it moves ≥ 1 GiB.
 * Each server runs in its own child process (`tsx bench/server.ts serve-store|serve-bare`).
 * Besides wall-clock MB/s it prints MB per CPU-second of the server process: on a shared,
 * loaded machine wall time swings with the neighbours, the CPU a server spends per byte does not.
 */
import { execFile, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createObjectStoreHandler } from '../src/server/http-handler';
import { createLocalObjectStore } from '../src/server/local-store';
import { writeRandomFile } from './fixture';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const run = promisify(execFile);

interface Ready {
  url: string;
}

/**
 * Listens on 127.0.0.1 with `listener`, plus `/_bench/…` probes the parent reads: peak RSS
 * (sampled every 20 ms) and CPU time (user + system, all threads; µs).
 */
async function benchServer(listener: RequestListener): Promise<Ready> {
  let peak = process.memoryUsage.rss();
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20).unref();
  const server = createServer((req, res) => {
    if (req.url === '/_bench/rss-reset') {
      peak = process.memoryUsage.rss();
      res.end(String(peak));
    } else if (req.url === '/_bench/rss-peak') res.end(String(Math.max(peak, process.memoryUsage.rss())));
    else if (req.url === '/_bench/cpu') {
      const { user, system } = process.cpuUsage();
      res.end(String(user + system));
    } else listener(req, res);
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function serveStore(dir: string): Promise<Ready> {
  let handler: RequestListener | undefined;
  const ready = await benchServer((req, res) => handler!(req, res));
  const store = createLocalObjectStore({ dir, baseUrl: ready.url });
  await store.ready;
  handler = createObjectStoreHandler(store, { corsOrigins: ['*'] });
  return ready;
}

function serveBare(source: string, writeDir: string): Promise<Ready> {
  let files = 0;
  return benchServer((req, res) => {
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
  await writeRandomFile(fixture, SIZE, (block) => hash.update(block));
  const checksum = hash.digest('base64');
  // tmpfs isolates the store's own cost from this VM's disk, which is slower than loopback.
  const memory = (await stat('/dev/shm').catch(() => undefined))?.isDirectory()
    ? await mkdtemp('/dev/shm/objectdrop-bench-')
    : undefined;
  const onDisk = await child('serve-store', join(work, 'store'));
  const inMemory = memory ? await child('serve-store', join(memory, 'store')) : undefined;
  const bare = await child('serve-bare', fixture, work);
  try {
    const probe = async (server: Ready, what: string) =>
      Number(await (await fetch(`${server.url}/_bench/${what}`)).text());
    const presign = async (store: Ready, path: string, body: unknown) => {
      const response = await fetch(`${store.url}/api/v1/${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { url: string }).url;
    };
    const uploadBody = { key: 'bench', length: SIZE, checksum, checksumType: 'SHA256' };
    interface Case {
      name: string;
      server: Ready;
      /** curl arguments; a function when a URL must be made first (outside the measured CPU). */
      args: () => Promise<string[]>;
    }
    const cases: Case[] = [
      { name: 'PUT bare sink', server: bare, args: async () => ['-T', fixture, `${bare.url}/`] },
      {
        name: 'PUT bare sink + SHA-256',
        server: bare,
        args: async () => ['-T', fixture, `${bare.url}/hash`],
      },
      {
        name: 'PUT bare sink + SHA-256 + file',
        server: bare,
        args: async () => ['-T', fixture, `${bare.url}/hash-file`],
      },
      {
        name: 'PUT store, disk',
        server: onDisk,
        args: async () => ['-T', fixture, await presign(onDisk, 'upload-url', uploadBody)],
      },
      ...(inMemory
        ? [
            {
              name: 'PUT store, tmpfs',
              server: inMemory,
              args: async () => ['-T', fixture, await presign(inMemory, 'upload-url', uploadBody)],
            },
          ]
        : []),
      { name: 'GET bare source', server: bare, args: async () => [bare.url] },
      {
        name: 'GET store, disk',
        server: onDisk,
        args: async () => [await presign(onDisk, 'download-url', { key: 'bench' })],
      },
    ];
    const wall = new Map<string, number[]>(cases.map(({ name }) => [name, []]));
    const cpu = new Map<string, number[]>(cases.map(({ name }) => [name, []]));
    const measure = async ({ name, server, args }: Case) => {
      const curlArgs = await args();
      const before = await probe(server, 'cpu');
      wall.get(name)!.push(await curl(curlArgs));
      cpu.get(name)!.push(SIZE / ((await probe(server, 'cpu')) - before));
    };
    await measure(cases.find((c) => c.name === 'PUT store, disk')!); // warm-up: page cache, JIT
    const rssStart = await probe(onDisk, 'rss-reset');
    for (let round = 0; round < ROUNDS; round++) for (const c of cases) await measure(c);
    const movedByStore = ROUNDS * 2 * SIZE;
    const rssPeak = await probe(onDisk, 'rss-peak');
    const w = (name: string) => median(wall.get(name)!);
    const c = (name: string) => median(cpu.get(name)!);
    console.log(
      `objectdrop bench:server: ${SIZE / MiB} MiB over loopback, curl client, median of ${ROUNDS} rounds`,
    );
    console.log(`  ${''.padEnd(32)} ${'wall MB/s'.padStart(10)} ${'MB per server CPU-s'.padStart(20)}`);
    for (const { name } of cases)
      console.log(
        `  ${name.padEnd(32)} ${w(name).toFixed(0).padStart(10)} ${c(name).toFixed(0).padStart(20)}`,
      );
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const ratio = (label: string, a: string, b: string, target?: number) => {
      const judge = (value: number) =>
        `${value.toFixed(2)}${target === undefined ? '' : ` ${verdict(value >= target)}`}`;
      console.log(`  ${label.padEnd(46)} wall ${judge(w(a) / w(b)).padEnd(10)} cpu ${judge(c(a) / c(b))}`);
    };
    console.log('  ratios (target >= 0.80 where judged):');
    ratio('GET store / bare source', 'GET store, disk', 'GET bare source', 0.8);
    if (inMemory)
      ratio('PUT store on tmpfs / hashing sink', 'PUT store, tmpfs', 'PUT bare sink + SHA-256', 0.8);
    ratio(
      'PUT store on disk / hashing sink',
      'PUT store, disk',
      'PUT bare sink + SHA-256',
      inMemory ? undefined : 0.8,
    );
    // Like for like: a bare sink that also keeps the bytes. The gap to the discarding sink above
    // is the kernel's page-cache copy, which any store that persists pays.
    ratio(
      'PUT store on disk / hashing sink + file',
      'PUT store, disk',
      'PUT bare sink + SHA-256 + file',
      0.8,
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
