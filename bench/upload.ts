// `npm run bench:upload`: objectdrop's upload path against hand-written baselines, side by side
// in one run, in headless Chromium against the real local object store.
//   (a) one 1 GiB on-disk file end to end vs computeChecksum alone + a raw XHR PUT alone (≤ 10 % over)
//   (b) 200 × 1 MiB at concurrency 4 vs raw parallel XHR PUTs (≥ 0.8 of their throughput)
//   (c) during (a): longest main-thread gap (< 50 ms) and renderer RSS growth (< 64 MiB)
// Env: BENCH_RUNS (3) alternating runs per scenario, medians compared; BENCH_BIG_MIB (1024) size of
// (a); BENCH_ONLY=a|b one scenario.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../scripts/chromium';
import { writeRandomFile } from './fixture';
import { browserPidByMarker, peakRssGrowth } from './renderer-memory';
import { mbps, median } from './stats';
import { startStoreProcess } from './store-process';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.env.BENCH_ONLY; // 'a' or 'b' runs one scenario
const bigSize = Number(process.env.BENCH_BIG_MIB ?? 1024) * 1024 * 1024;
const MiB = 1024 * 1024;

const mbpsText = (bytes: number, ms: number) => `${mbps(bytes, ms).toFixed(0)} MB/s`;

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'objectdrop-bench-upload-'));
  const bigPath = join(work, 'big.bin');
  if (only !== 'b') {
    console.log(`Writing a ${bigSize / MiB} MiB file to ${bigPath} …`);
    await writeRandomFile(bigPath, bigSize);
  }
  // The benchmark measures the client, not the store's per-installation rate limits.
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
  const pageUrl = vite.resolvedUrls?.local[0];
  const marker = `--objectdrop-bench=${process.pid}`;
  const launch = await chromiumLaunchOptions();
  const browser = await chromium.launch({ ...launch, args: [...launch.args, marker] });
  const browserPid = await browserPidByMarker(marker);
  try {
    const page = await browser.newPage();
    page.on('console', (m) => process.env.BENCH_DEBUG && console.log('page:', m.text()));
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(pageUrl!);
    await page.waitForFunction(() => document.title === 'bench ready');
    if (only !== 'b') await page.setInputFiles('#file', bigPath);
    const base = store.url;

    // Both sides once on a small file first: the page's first upload loads the engine's modules (one by
    // one from Vite's dev server here; one chunk in a built app), starts the workers and compiles the wasm.
    await page.evaluate((url) => window.bench.warmUp(url), base);

    // (a) + (c)
    const endToEnd: number[] = [];
    const baseline: number[] = [];
    const gaps: number[] = [];
    const baselineGaps: number[] = [];
    let longTasks = 0;
    let baselineLongTasks = 0;
    const rssGrowth: number[] = [];
    for (let run = 0; run < (only === 'b' ? 0 : runs); run += 1) {
      const b = await page.evaluate(([url, key]) => window.bench.bigBaseline(url, key), [
        base,
        `raw-${run}`,
      ] as const);
      baseline.push(b.hashMs + b.putMs);
      baselineGaps.push(b.longestGapMs);
      baselineLongTasks += b.longTasks;
      const { result: e, growth } = await peakRssGrowth(browserPid, () =>
        page.evaluate(([url, key]) => window.bench.bigEndToEnd(url, key), [base, `e2e-${run}`] as const),
      );
      endToEnd.push(e.ms);
      gaps.push(e.longestGapMs);
      longTasks += e.longTasks;
      rssGrowth.push(growth / MiB);
      console.log(
        `  run ${run + 1}: hash ${b.hashMs.toFixed(0)} ms + PUT ${b.putMs.toFixed(0)} ms = ${(b.hashMs + b.putMs).toFixed(0)} ms (longest gap ${b.longestGapMs.toFixed(1)} ms, ${b.longTasks} long tasks); ` +
          `objectdrop ${e.ms.toFixed(0)} ms; longest gap ${e.longestGapMs.toFixed(1)} ms, ${e.longTasks} long tasks; renderer RSS +${(growth / MiB).toFixed(0)} MiB`,
      );
    }

    // (b)
    if (only !== 'a')
      await page.evaluate(([count, size]) => window.bench.makeSmallFiles(count, size), [200, MiB] as const);
    const many: number[] = [];
    const prehashed: number[] = [];
    const raw: number[] = [];
    const perFile: Array<Record<string, number>> = [];
    for (let run = 0; run < (only === 'a' ? 0 : runs); run += 1) {
      // Alternate which goes first, so neither always gets the warmer machine.
      const rawRun = () =>
        page.evaluate(([url, p]) => window.bench.manyRaw(url, p), [base, `raw-many-${run}`] as const);
      const oursRun = () =>
        page.evaluate(([url, p]) => window.bench.manyEndToEnd(url, p), [base, `many-${run}`] as const);
      const r = run % 2 ? await rawRun() : undefined;
      const m = await oursRun();
      const rr = r ?? (await rawRun());
      const h = await page.evaluate(([url, p]) => window.bench.manyEndToEnd(url, p, true), [
        base,
        `given-${run}`,
      ] as const);
      raw.push(rr.ms);
      many.push(m.ms);
      prehashed.push(h.ms);
      perFile.push(m.perFile);
      const phases = Object.entries(m.perFile)
        .map(([status, ms]) => `${status} ${ms.toFixed(0)}`)
        .join(', ');
      console.log(
        `  run ${run + 1}: raw XHR PUTs ${rr.ms.toFixed(0)} ms; objectdrop ${m.ms.toFixed(0)} ms (mean ms per file: ${phases}); objectdrop with checksums given ${h.ms.toFixed(0)} ms`,
      );
    }

    const overhead = median(endToEnd) / median(baseline) - 1;
    const throughput = median(raw) / median(many);
    const gap = Math.max(...gaps);
    const rss = Math.max(...rssGrowth);
    console.log('');
    if (endToEnd.length)
      console.log(
        `(a) ${bigSize / MiB} MiB end to end ${mbpsText(bigSize, median(endToEnd))} vs hash + PUT alone ${mbpsText(bigSize, median(baseline))}: overhead ${(overhead * 100).toFixed(1)} % (target ≤ 10 %) ${overhead <= 0.1 ? 'PASS' : 'FAIL'}`,
      );
    if (many.length)
      console.log(
        `(b) 200 × 1 MiB at concurrency 4: ${mbpsText(200 * MiB, median(many))} vs raw XHR ${mbpsText(200 * MiB, median(raw))}: ratio ${throughput.toFixed(2)} (target ≥ 0.80) ${throughput >= 0.8 ? 'PASS' : 'FAIL'}` +
          `\n    the raw PUTs' URLs and checksums are made before their clock starts; objectdrop with the checksums given (hashing untimed, presigning timed): ratio ${(median(raw) / median(prehashed)).toFixed(2)}`,
      );
    if (endToEnd.length)
      console.log(
        `(c) during (a): longest main-thread gap ${gap.toFixed(1)} ms (target < 50; baseline's ${Math.max(...baselineGaps).toFixed(1)}) ${gap < 50 ? 'PASS' : 'FAIL'}, main-thread long tasks ${longTasks} (baseline's ${baselineLongTasks}); renderer RSS growth ${rss.toFixed(0)} MiB (target < 64) ${rss < 64 ? 'PASS' : 'FAIL'}`,
      );
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
