/**
 * Media phase benchmark: `node bench/media.ts [spec] [latencyMs] [concurrency,…]`.
 *
 * Crawls a generated account from the fake server once without media, then runs `syncMedia`
 * against the fake CDN (every media request delayed by `latencyMs`) into an empty folder (cold)
 * and again (warm: everything cached), per concurrency. Prints files/s and MB/s beside the
 * lower bound `files × latency ÷ concurrency`. Prints, never asserts.
 *
 * The fake server runs in a worker thread, so synthesizing the media bytes (real PNG/JPEG
 * encoding) does not compete with the downloader for the main thread's event loop.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { generateAccount } from '../fixtures/account/generate.ts';
import type { FaultOptions } from '../fixtures/server/index.ts';
import { startFakeButter } from '../fixtures/server/index.ts';
import { collectMediaUrls, rewriteMediaUrls, syncMedia } from '../src/core/media/index.ts';
import { resolveOptions } from '../src/core/options.ts';
import { readSnapshot } from '../src/core/snapshot/index.ts';
import { sync } from '../src/core/sync/index.ts';

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
  const spec = process.argv[2] ?? 'pages=2000,posts=2000,items=500,seed=11,media=3000';
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

    let t = performance.now();
    const uses = collectMediaUrls(content, [host]);
    const collectMs = performance.now() - t;
    const map = new Map([...uses.keys()].map((u, i) => [u, `/buttercms/${i}.bin`]));
    t = performance.now();
    rewriteMediaUrls(content, map);
    const rewriteMs = performance.now() - t;

    console.log(`account ${spec}: ${uses.size} media URLs, latency ${latencyMs} ms per request`);
    console.log(
      `pure stages: collect ${collectMs.toFixed(0)} ms, rewrite ${rewriteMs.toFixed(0)} ms\n`,
    );
    console.log(
      'concurrency | run  | files | downloaded | cached |    MB | time (s) | files/s |  MB/s | lower bound (s)',
    );
    for (const concurrency of concurrencies) {
      const options = resolveOptions({ ...base, concurrency, out: `media-${concurrency}` }, {});
      await setFaults({ match: /^\/(?!v2\/)/, latencyMs });
      for (const run of ['cold', 'warm']) {
        const start = performance.now();
        const { report } = await syncMedia(content, options);
        const seconds = (performance.now() - start) / 1000;
        const files = report.files.size + report.failed.length;
        const mb = report.bytes / 1e6;
        const bound = run === 'cold' ? (report.downloaded * latencyMs) / concurrency / 1000 : 0;
        console.log(
          [
            String(concurrency).padStart(11),
            run.padEnd(4),
            String(files).padStart(5),
            String(report.downloaded).padStart(10),
            String(report.cached).padStart(6),
            mb.toFixed(1).padStart(5),
            seconds.toFixed(2).padStart(8),
            (files / seconds).toFixed(0).padStart(7),
            (mb / seconds).toFixed(1).padStart(5),
            bound.toFixed(2).padStart(15),
          ].join(' | '),
        );
        for (const f of report.failed.slice(0, 3)) console.log(`  failed: ${f.url} (${f.reason})`);
      }
    }
  } finally {
    worker.postMessage({ close: true });
    await rm(root, { recursive: true, force: true });
  }
}
