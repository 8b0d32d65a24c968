/**
 * `npm run bench [-- --quick | --largest]`: syncs generated accounts of growing size (up to
 * 100k entities) from the fake server with the defaults users run — media on (every file from
 * the fake CDN), types on — and compares, in the same run:
 *
 *   cold     `sync()` into an empty folder (child process: wall time, requests, peak RSS)
 *   warm     the same sync again over that snapshot (media cached, nothing changed)
 *   bound    the lower bound, measured: the URLs the sync requested (the fewest listing
 *            requests, the probes, and every media file once), known up front, fetched behind a
 *            p-limit of the same concurrency with `http.get` (child process); for warm, the API
 *            URLs alone (the media files are cached)
 *   sdk      with `--sdk`: the official `buttercms` SDK, one request after another, page_size
 *            20, how existing integrations crawl (child process)
 *
 * The fake's answers and media files are recorded once and replayed after the latency
 * (`replay.ts`), so what is measured is the clients, not the fake's rendering. `--latency 100`
 * shows the same at a latency closer to a real API's. Everything talks to 127.0.0.1 only; the
 * script exits by itself.
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
    sdk: { type: 'boolean', default: false },
    runs: { type: 'string' },
    /** Where the snapshots go (e.g. /dev/shm to leave the disk out). @default os.tmpdir() */
    'snapshot-dir': { type: 'string' },
  },
});
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
/** Sync and lower bound are measured this many times each, alternating; the median is shown. */
const RUNS = Number(values.runs ?? 1);
const ALL_SIZES = [
  'pages=500,posts=1000,items=300,seed=1',
  'pages=5000,posts=14000,items=3000,seed=1',
  'pages=50000,posts=50000,items=10000,seed=1',
];
const SIZES = chooseSizes(ALL_SIZES, 'pages=200,posts=500,items=200,seed=1', values);
/** Peak RSS a default sync of the largest account (100k entities) may reach. */
const RSS_TARGET = 600 * 1024 * 1024;

const child = (name: string) => join(import.meta.dirname, 'children', `${name}.mjs`);

process.stderr.write('[bench] building the package…\n');
const SYNC_MODULE = buildSyncPackage();

interface Row {
  spec: string;
  entities: number;
  mediaFiles: number;
  cold: ChildReport;
  warm: ChildReport;
  coldBound: ChildReport;
  warmBound: ChildReport;
  sdk: ChildReport | undefined;
  snapshotBytes: number;
}

const rows: Row[] = [];
for (const spec of SIZES) {
  process.stderr.write(`[bench] ${spec}: generating…\n`);
  const fake = await startFakeButter({ account: `generated:${spec}`, mediaOrigin: 'self' });
  const replay = await startReplay(fake.url);
  const root = join(
    values['snapshot-dir'] ?? tmpdir(),
    `butter-bench-${process.pid}-${rows.length}`,
  );
  const out = join(root, '.buttercms');
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
      media: true,
      types: join(root, 'buttercms.d.ts'),
      mediaHosts: [new URL(replay.url).host],
    };
    const sdkInput = { apiUrl: replay.apiUrl, token: fake.token, pageTypes, collections, locales };

    // Recording pass, no latency: every answer and media file, rendered once by the fake.
    process.stderr.write('[bench]   recording the answers and media files…\n');
    replay.setLatency(0);
    replay.resetLog();
    await runChild(child('sync'), syncInput);
    const recorded = replay.log.filter((e) => e.key.startsWith('GET /') && e.status === 200);
    const api = recorded
      .filter((e) => e.key.startsWith('GET /v2/'))
      .map((e) => {
        const [path, query] = e.key.slice('GET '.length).split('?') as [string, string];
        return `${replay.url}${path}?${query ? `${query}&` : ''}auth_token=${fake.token}`;
      });
    const media = recorded
      .filter((e) => !e.key.startsWith('GET /v2/'))
      .map((e) => `${replay.url}${e.key.slice('GET '.length).replace(/\?$/, '')}`);
    if (values.sdk) await runChild(child('sdk'), sdkInput);

    replay.setLatency(LATENCY);
    const runs = { cold: [] as ChildReport[], warm: [] as ChildReport[] };
    const bounds = { cold: [] as ChildReport[], warm: [] as ChildReport[] };
    let snapshotBytes = 0;
    const bound = (urls: string[]) =>
      runChild(child('bare'), { urls, concurrency: CONCURRENCY, transport: 'http' });
    for (let run = 0; run < RUNS; run++) {
      await rm(root, { recursive: true, force: true });
      process.stderr.write(`[bench]   cold sync, run ${run + 1}/${RUNS}…\n`);
      runs.cold.push(await runChild(child('sync'), syncInput));
      snapshotBytes = await folderSize(out);
      process.stderr.write(`[bench]   warm sync (again, nothing changed)…\n`);
      runs.warm.push(await runChild(child('sync'), syncInput));
      process.stderr.write(
        `[bench]   lower bounds (${api.length} API URLs + ${media.length} media files)…\n`,
      );
      bounds.cold.push(await bound([...api, ...media]));
      bounds.warm.push(await bound(api));
    }
    let sdk: ChildReport | undefined;
    if (values.sdk) {
      process.stderr.write('[bench]   buttercms SDK, sequential, page_size 20…\n');
      sdk = await runChild(child('sdk'), sdkInput);
    }
    const cold = median(runs.cold);
    const entities = Object.values(cold.entities as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    rows.push({
      spec,
      entities,
      mediaFiles: media.length,
      cold,
      warm: median(runs.warm),
      coldBound: median(bounds.cold),
      warmBound: median(bounds.warm),
      sdk,
      snapshotBytes,
    });
  } finally {
    await replay.close();
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
}

function median(runs: ChildReport[]): ChildReport {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...middle, maxRss: Math.max(...runs.map((r) => r.maxRss)) };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const account = (spec: string) => spec.replace(/,seed=\d+/, '');
console.log(
  `\nsync benchmark, the defaults (media on, types on) — answers and media files of the fake ButterCMS recorded once, then served on 127.0.0.1 after ${LATENCY} ms each; concurrency ${CONCURRENCY}; snapshots in ${values['snapshot-dir'] ?? tmpdir()}; median of ${RUNS} run(s) (peak RSS: the highest); ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end\n`,
);
console.log(
  table([
    [
      'account',
      'entities',
      'media',
      'requests',
      'cold',
      'bound',
      'cold/bound',
      'peak RSS',
      'warm',
      'bound',
      'warm/bound',
      'peak RSS',
      'snapshot',
    ],
    ...rows.map((r) => [
      account(r.spec),
      String(r.entities),
      String(r.mediaFiles),
      String(r.cold.requests),
      sec(r.cold.wallMs),
      sec(r.coldBound.wallMs),
      ratio(r.cold.wallMs, r.coldBound.wallMs),
      mb(r.cold.maxRss),
      sec(r.warm.wallMs),
      sec(r.warmBound.wallMs),
      ratio(r.warm.wallMs, r.warmBound.wallMs),
      mb(r.warm.maxRss),
      mb(r.snapshotBytes),
    ]),
  ]),
);
console.log('\nstages (cold / warm): crawl, media, types, write; peak RSS after each stage');
console.log(
  table([
    [
      'account',
      'crawl',
      'media',
      'types',
      'write',
      'peak RSS after crawl · media · types · write; at the end',
    ],
    ...rows.flatMap((r) =>
      (['cold', 'warm'] as const).map((kind) => {
        const run = r[kind];
        const at = run.phaseRss as Record<string, number>;
        return [
          `${account(r.spec)} ${kind}`,
          sec(run.crawlMs as number),
          sec(run.mediaMs as number),
          sec(run.typesMs as number),
          sec(run.writeMs as number),
          `${at.media} · ${at.types} · ${at.write} · ${at.done} · ${Math.round(run.maxRss / 1024 / 1024)} MB`,
        ];
      }),
    ),
  ]),
);
if (rows.some((r) => r.sdk)) {
  console.log('');
  console.log(
    table([
      ['account', 'sdk (crawl only)', 'sdk requests', 'sdk/cold sync'],
      ...rows.map((r) => [
        account(r.spec),
        r.sdk ? sec(r.sdk.wallMs) : '—',
        r.sdk ? String(r.sdk.requests) : '—',
        r.sdk ? ratio(r.sdk.wallMs, r.cold.wallMs) : '—',
      ]),
    ]),
  );
}

const largest = rows.at(-1)!;
const checks = [
  [
    `cold sync ≤ 1.2× the measured lower bound`,
    largest.cold.wallMs <= 1.2 * largest.coldBound.wallMs,
    ratio(largest.cold.wallMs, largest.coldBound.wallMs),
  ],
  [
    `peak RSS of a default sync ≤ ${mb(RSS_TARGET)} (cold)`,
    largest.cold.maxRss <= RSS_TARGET,
    mb(largest.cold.maxRss),
  ],
  [
    `peak RSS of a default sync ≤ ${mb(RSS_TARGET)} (warm)`,
    largest.warm.maxRss <= RSS_TARGET,
    mb(largest.warm.maxRss),
  ],
] as [string, boolean, string][];
console.log(`\ntargets, largest account (${largest.spec}):`);
for (const [name, ok, value] of checks) console.log(`  ${ok ? 'PASS' : 'MISS'}  ${name}: ${value}`);
