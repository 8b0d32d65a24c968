/**
 * `npm run bench [-- --quick]`: syncs generated accounts of growing size from the fake server
 * (30 ms injected latency per request) and compares, in the same run:
 *
 *   sync     our `sync()` (child process: wall time, requests, bytes, peak RSS)
 *   bound    the lower bound, measured: the same URLs, known up front, fetched behind a p-limit
 *            of the same concurrency (child process), once with `fetch` and once with
 *            `http.get` (the sync client's transport, which costs less CPU); the faster of the
 *            two is the bound. Beside it the theory, requests × latency ÷ concurrency
 *   sdk      how existing integrations crawl: the official `buttercms` SDK, one request after
 *            another, page_size 20 (child process)
 *
 * The fake's answers are recorded once and replayed after the latency (`replay.ts`), so what is
 * measured is the clients, not the fake's rendering. Media download and type generation are
 * off: this measures the crawl and the snapshot write, which then overlap (the streaming store
 * stores each listing in a worker thread while the crawl goes on); "(crawl)" is the time until
 * the crawl's last answer, "(write)" what the write needs after it. `--latency 100` shows the
 * same at a latency closer to a real API's, `--largest` measures the largest account only.
 * Everything talks to 127.0.0.1 only; the script exits by itself.
 */
import { rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeButter } from '../fixtures/server/index.ts';
import {
  buildSyncPackage,
  type ChildReport,
  chooseSizes,
  folderSize,
  mb,
  runChild,
  sec,
  table,
} from './lib.ts';
import { startReplay } from './replay.ts';

// `npm run bench -- hostile`: the sync against hostile servers instead (bench/hostile.ts).
if (process.argv[2] === 'hostile') {
  await import('./hostile.ts');
  process.exit();
}
// `npm run bench -- warm`: warm syncs against cold ones (bench/warm.ts).
if (process.argv[2] === 'warm') {
  await import('./warm.ts');
  process.exit();
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    largest: { type: 'boolean', default: false },
    latency: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '8' },
    'no-sdk': { type: 'boolean', default: false },
    runs: { type: 'string' },
    /** Where the snapshots go (e.g. /dev/shm to leave the disk out). @default os.tmpdir() */
    'snapshot-dir': { type: 'string' },
  },
});
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
/** Sync and lower bound are measured this many times each, alternating; the median is shown. */
const RUNS = Number(values.runs ?? (values.quick ? 3 : 3));
const ALL_SIZES = [
  'pages=500,posts=1000,items=300,seed=1',
  'pages=2000,posts=5000,items=1000,seed=1',
  'pages=5000,posts=14000,items=3000,seed=1',
];
const SIZES = chooseSizes(ALL_SIZES, 'pages=200,posts=500,items=200,seed=1', values);

const child = (name: string) => join(import.meta.dirname, 'children', `${name}.mjs`);

process.stderr.write('[bench] building the package…\n');
const SYNC_MODULE = buildSyncPackage();

interface Row {
  spec: string;
  entities: number;
  sync: ChildReport;
  /** The faster of the two measured bounds. */
  bare: ChildReport;
  bareFetch: ChildReport;
  bareHttp: ChildReport;
  sdk: ChildReport | undefined;
  theoryMs: number;
  snapshotBytes: number;
}

const rows: Row[] = [];
for (const spec of SIZES) {
  process.stderr.write(`[bench] ${spec}: generating…\n`);
  const fake = await startFakeButter({ account: `generated:${spec}`, mediaOrigin: 'self' });
  const replay = await startReplay(fake.url);
  const out = join(
    values['snapshot-dir'] ?? tmpdir(),
    `butter-bench-${process.pid}-${rows.length}`,
  );
  try {
    const account = fake.account;
    const pageTypes = [
      ...new Set(account.pages.map((p) => p.pageType).filter((t) => !!t)),
    ] as string[];
    const collections = Object.keys(account.collections);
    const locales = account.locales.length > 1 ? account.locales : [];
    const syncInput = {
      apiUrl: replay.apiUrl,
      token: fake.token,
      out,
      pageTypes,
      collections,
      locales,
      concurrency: CONCURRENCY,
      module: SYNC_MODULE,
    };
    const sdkInput = { apiUrl: replay.apiUrl, token: fake.token, pageTypes, collections, locales };

    // Recording pass, no latency: every answer either contender needs, rendered once by the fake.
    process.stderr.write('[bench]   recording the answers (sync, SDK)…\n');
    replay.setLatency(0);
    replay.resetLog();
    await runChild(child('sync'), syncInput);
    const urls = replay.log
      .filter((e) => e.key.startsWith('GET /v2/') && e.status === 200)
      .map((e) => {
        const [path, query] = e.key.slice('GET '.length).split('?') as [string, string];
        return `${replay.url}${path}?${query ? `${query}&` : ''}auth_token=${fake.token}`;
      });
    if (!values['no-sdk']) await runChild(child('sdk'), sdkInput);

    replay.setLatency(LATENCY);
    const syncRuns: ChildReport[] = [];
    const bareRuns = { fetch: [] as ChildReport[], http: [] as ChildReport[] };
    let snapshotBytes = 0;
    for (let run = 0; run < RUNS; run++) {
      await rm(out, { recursive: true, force: true });
      process.stderr.write(`[bench]   sync, run ${run + 1}/${RUNS}…\n`);
      syncRuns.push(await runChild(child('sync'), syncInput));
      snapshotBytes = await folderSize(out);
      process.stderr.write(
        `[bench]   lower bound (${urls.length} URLs), run ${run + 1}/${RUNS}…\n`,
      );
      for (const transport of ['fetch', 'http'] as const) {
        bareRuns[transport].push(
          await runChild(child('bare'), { urls, concurrency: CONCURRENCY, transport }),
        );
      }
    }
    const sync = median(syncRuns);
    const bareFetch = median(bareRuns.fetch);
    const bareHttp = median(bareRuns.http);
    const bare = bareHttp.wallMs <= bareFetch.wallMs ? bareHttp : bareFetch;

    let sdk: ChildReport | undefined;
    if (!values['no-sdk']) {
      process.stderr.write('[bench]   buttercms SDK, sequential, page_size 20…\n');
      sdk = await runChild(child('sdk'), sdkInput);
    }
    const entities = Object.values(sync.entities as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    rows.push({
      spec,
      entities,
      sync,
      bare,
      bareFetch,
      bareHttp,
      sdk,
      theoryMs: (urls.length * LATENCY) / CONCURRENCY,
      snapshotBytes,
    });
  } finally {
    await replay.close();
    await fake.close();
    await rm(out, { recursive: true, force: true });
  }
}

function median(runs: ChildReport[]): ChildReport {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...middle, maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
console.log(
  `\nsync benchmark — answers of the fake ButterCMS recorded once, then served on 127.0.0.1 after ${LATENCY} ms each (the fake's rendering time excluded); concurrency ${CONCURRENCY}; media and types off; snapshots in ${values['snapshot-dir'] ?? tmpdir()}; sync and bound: median of ${RUNS} runs (peak RSS: the highest); ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end\n`,
);
console.log(
  table([
    [
      'account',
      'entities',
      'sync wall',
      '(crawl)',
      '(write)',
      'requests',
      'bytes',
      'peak RSS',
      'snapshot',
      'entities/s',
    ],
    ...rows.map((r) => [
      r.spec.replace(/,seed=\d+/, ''),
      String(r.entities),
      sec(r.sync.wallMs),
      sec(r.sync.crawlMs as number),
      sec(r.sync.writeMs as number),
      String(r.sync.requests),
      mb(r.sync.bytes as number),
      mb(r.sync.maxRss),
      mb(r.sync.crawlMaxRss as number),
      mb(r.snapshotBytes),
      String(Math.round(r.entities / (r.sync.wallMs / 1000))),
    ]),
  ]),
);
console.log('');
console.log(
  table([
    [
      'account',
      'theory bound',
      'measured bound (http / fetch)',
      'sdk (b)',
      'sdk requests',
      'sync/bound',
      'crawl/bound',
      'sdk/sync',
      'sdk/crawl',
      'CPU crawl / bound (http / fetch)',
    ],
    ...rows.map((r) => [
      r.spec.replace(/,seed=\d+/, ''),
      sec(r.theoryMs),
      `${sec(r.bareHttp.wallMs)} / ${sec(r.bareFetch.wallMs)}`,
      r.sdk ? sec(r.sdk.wallMs) : '—',
      r.sdk ? String(r.sdk.requests) : '—',
      ratio(r.sync.wallMs, r.bare.wallMs),
      ratio(r.sync.crawlMs as number, r.bare.wallMs),
      r.sdk ? ratio(r.sdk.wallMs, r.sync.wallMs) : '—',
      r.sdk ? ratio(r.sdk.wallMs, r.sync.crawlMs as number) : '—',
      `${sec(r.sync.crawlCpuMs as number)} / ${sec(r.bareHttp.cpuMs as number)} / ${sec(r.bareFetch.cpuMs as number)}`,
    ]),
  ]),
);

const largest = rows.at(-1)!;
const rssBudget = 2 * largest.snapshotBytes + 150 * 1024 * 1024;
const checks = [
  [
    `crawl ≤ 1.2× the measured lower bound`,
    (largest.sync.crawlMs as number) <= 1.2 * largest.bare.wallMs,
    ratio(largest.sync.crawlMs as number, largest.bare.wallMs),
  ],
  [
    `whole sync (crawl + snapshot write) ≤ 1.2× the measured lower bound`,
    largest.sync.wallMs <= 1.2 * largest.bare.wallMs,
    ratio(largest.sync.wallMs, largest.bare.wallMs),
  ],
  ...(largest.sdk
    ? [
        [
          `crawl ≥ 10× faster than the sequential SDK (which writes nothing)`,
          largest.sdk.wallMs >= 10 * (largest.sync.crawlMs as number),
          ratio(largest.sdk.wallMs, largest.sync.crawlMs as number),
        ],
        [
          `whole sync ≥ 10× faster than the sequential SDK`,
          largest.sdk.wallMs >= 10 * largest.sync.wallMs,
          ratio(largest.sdk.wallMs, largest.sync.wallMs),
        ],
      ]
    : []),
  [
    `peak RSS when the crawl ends < 2× snapshot + 150 MB (${mb(rssBudget)})`,
    (largest.sync.crawlMaxRss as number) < rssBudget,
    mb(largest.sync.crawlMaxRss as number),
  ],
  [
    `peak RSS of the whole sync (snapshot write included) < 2× snapshot + 150 MB`,
    largest.sync.maxRss < rssBudget,
    mb(largest.sync.maxRss),
  ],
] as [string, boolean, string][];
console.log(
  `\ntargets, largest account (${largest.spec}); the bound is the faster measured one (${largest.bare === largest.bareHttp ? 'http' : 'fetch'}):`,
);
for (const [name, ok, value] of checks) console.log(`  ${ok ? 'PASS' : 'MISS'}  ${name}: ${value}`);
