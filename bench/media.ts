/**
 * Media phase benchmark: `node bench/media.ts [spec] [latencyMs] [concurrency,…]`.
 *
 * Crawls a generated account from the fake server once without media, then runs `syncMedia`
 * against the fake CDN (every media request delayed by `latencyMs`) into an empty folder (cold)
 * and again (warm: everything cached), per concurrency. Prints files/s and MB/s beside the
 * lower bound `files × latency ÷ concurrency`, and beside a bare-fetch baseline of the same
 * requests (what the fake and the HTTP stack cost before any file is written). Prints, never
 * asserts.
 *
 * The fake server runs in a worker thread with every file synthesized up front (its cache holds
 * 5000 files: keep the account under that), so the fake's PNG/JPEG encoder is not measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pLimit from 'p-limit';
import { generateAccount } from '../fixtures/account/generate.ts';
import { mediaBytes } from '../fixtures/server/cdn.ts';
import type { FaultOptions } from '../fixtures/server/index.ts';
import { startFakeButter } from '../fixtures/server/index.ts';
import { collectMediaUrls, rewriteMediaUrls, syncMedia } from '../src/core/media/index.ts';
import { resolveOptions } from '../src/core/options.ts';
import { readSnapshot } from '../src/core/snapshot/index.ts';
import { sync } from '../src/core/sync/index.ts';

const HEADER = [
  'concurrency',
  'run           ',
  'files',
  'downloaded',
  'cached',
  '   MB',
  'time (s)',
  'files/s',
  ' MB/s',
  'lower bound (s)',
];
const WIDTHS = HEADER.map((h) => h.length);

interface Started {
  url: string;
  apiUrl: string;
  token: string;
  pageTypes: string[];
  collections: string[];
  locales: string[];
}

if (!isMainThread) {
  const account = generateAccount(workerData.spec as string);
  // Synthesize every file once up front (the fake caches up to 5000), so the runs measure the
  // downloader rather than the fake's PNG/JPEG encoder.
  for (const url of Object.keys(account.media)) {
    try {
      mediaBytes(account, url);
    } catch {
      // A file the fake cannot synthesize: it answers 500 and the run reports it as failed.
    }
  }
  const fake = await startFakeButter({ account });
  const port = parentPort!;
  port.on('message', (message: { faults?: FaultOptions; close?: true }) => {
    if (message.faults) {
      fake.setFaults(message.faults);
      port.postMessage('ok');
    } else if (message.close) void fake.close().then(() => port.close());
  });
  port.postMessage({
    url: fake.url,
    apiUrl: fake.apiUrl,
    token: fake.token,
    pageTypes: [...new Set(account.pages.flatMap((p) => (p.pageType ? [p.pageType] : [])))],
    collections: Object.keys(account.collections),
    locales: account.locales,
  } satisfies Started);
} else {
  await main();
}

async function main(): Promise<void> {
  const spec = process.argv[2] ?? 'pages=1500,posts=1500,items=400,seed=12,media=2000';
  const latencyMs = Number(process.argv[3] ?? 20);
  const concurrencies = (process.argv[4] ?? '8,32').split(',').map(Number);

  const worker = new Worker(new URL(import.meta.url), { workerData: { spec } });
  const next = () => new Promise<unknown>((resolve) => worker.once('message', resolve));
  const fake = (await next()) as Started;
  const setFaults = async (faults: FaultOptions) => {
    worker.postMessage({ faults });
    await next();
  };
  const root = await mkdtemp(join(tmpdir(), 'bench-media-'));
  const host = new URL(fake.url).host;
  const base = {
    token: fake.token,
    apiUrl: fake.apiUrl,
    root,
    types: false as const,
    mediaHosts: [host],
    pageTypes: fake.pageTypes,
    collections: fake.collections,
    locales: fake.locales,
  };

  try {
    await sync({ ...base, media: false, out: 'remote' }, { logger: { warn() {} } });
    const { content } = await readSnapshot(join(root, 'remote'));

    const time = <T>(f: () => T): [T, number] => {
      let best = Number.POSITIVE_INFINITY;
      let value: T | undefined;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        value = f();
        best = Math.min(best, performance.now() - t);
      }
      return [value as T, best];
    };
    const [uses, collectMs] = time(() => collectMediaUrls(content, [host]));
    const map = new Map([...uses.keys()].map((u, i) => [u, `/buttercms/${i}.bin`]));
    const [, rewriteMs] = time(() => rewriteMediaUrls(content, map));
    const chars = JSON.stringify(content).length;

    console.log(`account ${spec}: ${uses.size} media URLs, latency ${latencyMs} ms per request`);
    console.log(
      `pure stages over ${(chars / 1e6).toFixed(1)} MB of content JSON (best of 3): collect ${collectMs.toFixed(0)} ms, rewrite ${rewriteMs.toFixed(0)} ms\n`,
    );
    console.log(HEADER.join(' | '));
    const row = (cells: (string | number)[]) =>
      console.log(
        cells.map((c, i) => String(c)[i === 1 ? 'padEnd' : 'padStart'](WIDTHS[i]!)).join(' | '),
      );
    for (const concurrency of concurrencies) {
      const options = resolveOptions({ ...base, concurrency, out: `media-${concurrency}` }, {});
      await setFaults({ match: /^\/(?!v2\/)/, latencyMs });
      // Baseline: the same requests with a bare fetch, bodies read and dropped (no disk).
      const limit = pLimit(concurrency);
      let start = performance.now();
      let fetched = 0;
      await Promise.all(
        [...uses.keys()].map((url) =>
          limit(async () => {
            const body = await (await fetch(url)).arrayBuffer();
            fetched += body.byteLength;
          }),
        ),
      );
      let seconds = (performance.now() - start) / 1000;
      const bound = (uses.size * latencyMs) / concurrency / 1000;
      row([
        concurrency,
        'fetch only',
        uses.size,
        '-',
        '-',
        (fetched / 1e6).toFixed(1),
        seconds.toFixed(2),
        (uses.size / seconds).toFixed(0),
        (fetched / 1e6 / seconds).toFixed(1),
        bound.toFixed(2),
      ]);
      for (const run of ['cold', 'warm']) {
        start = performance.now();
        const { report } = await syncMedia(content, options);
        seconds = (performance.now() - start) / 1000;
        const files = report.files.size + report.failed.length;
        const mb = report.bytes / 1e6;
        row([
          concurrency,
          `syncMedia ${run}`,
          files,
          report.downloaded,
          report.cached,
          mb.toFixed(1),
          seconds.toFixed(2),
          (files / seconds).toFixed(0),
          (mb / seconds).toFixed(1),
          ((report.downloaded * latencyMs) / concurrency / 1000).toFixed(2),
        ]);
        for (const f of report.failed.slice(0, 3)) console.log(`  failed: ${f.url} (${f.reason})`);
      }
    }
  } finally {
    worker.postMessage({ close: true });
    await rm(root, { recursive: true, force: true });
  }
}
