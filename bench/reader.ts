/**
 * `npm run bench:reader [-- --quick] [--largest] [--cache <MB>] [--no-baseline]`: how the
 * local reader serves a static build's read pattern, on generated accounts of about 2k, 20k
 * and 100k entities (synced once from the in-process fake, media and types off, and kept in
 * bench/.cache/reader/, gitignored: the 100k account takes a while to sync). For each account,
 * each surface in its own process (`children/reader.mjs`):
 *
 *   bound     every snapshot file read and parsed once — the lower bound
 *   reader    createLocalButter: every page and post retrieved at levels 2, every listing paged
 *             through at page_size 10 and 100, every collection retrieved, taxonomies listed
 *   small     the same with `cache: --cache` (64 MB by default): a bounded reader
 *   half      the same with half that cache (largest account only)
 *   next      the same through nextButter(dir)() per call
 *   virtual   the same through the runtime of virtual:buttercms
 *   astro     buttercmsLoader for every page type, the posts and every collection
 *   baseline  the reader before issue 14 (git `--baseline-ref`), on a sample of each kind
 *   floor     what any reader must spend on the reader's answers: each produced as fresh
 *             objects (a caller may change them) by the fastest generic deep copy, and by
 *             `JSON.parse` of its text; with the bound, the floor of a whole read
 *
 * It prints total, CPU and main-thread CPU time (steadier than the others on a shared machine),
 * their ratios to the bound, p50/p99 per call kind (also over the calls that read no file: a
 * first touch reads a chunk) and peak RSS, then the targets
 * (100k account: whole read ≤ 3× the bound; retrieve p99 ≤ 1 ms everywhere; peak RSS ≤ 2× the
 * snapshot + 150 MB; a bounded reader keeps its indexes and no more than its budget: the heap it
 * keeps with the small cache exceeds what it keeps with half of it by at most the other half).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import {
  buildForBench,
  type ChildReport,
  chooseSizes,
  folderSize,
  mb,
  runChild,
  sec,
  syncGeneratedAccount,
  table,
} from './lib.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    largest: { type: 'boolean', default: false },
    cache: { type: 'string', default: '64' },
    'no-baseline': { type: 'boolean', default: false },
    /** The commit whose reader is the baseline: the last one before issue 14. */
    'baseline-ref': { type: 'string', default: 'dfe7716' },
  },
});
const SMALL_CACHE = Number(values.cache);
/** Calls of each kind the baseline makes (it costs the account's size per call). */
const BASELINE_SAMPLE = 100;
const ALL_SIZES = [
  'pages=600,posts=1300,items=300,seed=1',
  'pages=5000,posts=14000,items=3000,seed=1',
  'pages=50000,posts=50000,items=10000,seed=1',
];
const SIZES = chooseSizes(ALL_SIZES, 'pages=200,posts=300,items=100,seed=1', values);

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(import.meta.dirname, '.cache');
const child = join(import.meta.dirname, 'children', 'reader.mjs');

process.stderr.write('[bench] building the reader…\n');
/**
 * What the children run, built into plain JavaScript. With esbuild itself rather than
 * `buildForBench`: the Next.js reader imports its stamp as the site resolves it
 * (`unplugin-buttercms/next/stamp`, aliased here to the package's own module).
 */
function buildReaderEntry(): string {
  const outdir = join(ROOT, 'node_modules', '.cache', 'butter-bench-reader');
  rmSync(outdir, { recursive: true, force: true });
  buildSync({
    entryPoints: [join(ROOT, 'bench', 'reader-entry.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    alias: { 'unplugin-buttercms/next/stamp': join(ROOT, 'templates', 'next-stamp.js') },
    outdir,
    logLevel: 'error',
  });
  return join(outdir, 'reader-entry.js');
}
const MODULE = buildReaderEntry();

/** The reader of `ref`, built from its sources (exported from git into bench/.cache). */
async function buildBaseline(ref: string): Promise<string> {
  const src = join(CACHE, `baseline-${ref}`);
  if (!existsSync(join(src, 'src'))) {
    await mkdir(src, { recursive: true });
    const archive = execFileSync('git', ['archive', ref, 'src'], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', src], { input: archive });
  }
  return join(
    buildForBench([join(src, 'src/core/reader/index.ts')], `butter-bench-baseline`),
    'index.js',
  );
}
const BASELINE = values['no-baseline'] ? undefined : await buildBaseline(values['baseline-ref']);

async function snapshotOf(spec: string): Promise<string> {
  const dir = join(CACHE, 'reader', spec);
  if (!existsSync(join(dir, 'manifest.json'))) {
    process.stderr.write(`[bench] ${spec}: syncing from the fake (kept in ${dir})…\n`);
    await rm(dir, { recursive: true, force: true });
    await syncGeneratedAccount(spec, dir);
  }
  return dir;
}

interface Kind {
  count: number;
  totalMs: number;
  p50: number;
  p99: number;
  /** Calls that read a file, and the p99 of the others (surfaces that show their reads). */
  cold?: number;
  warmP99?: number;
}
interface Floor {
  answers: number;
  bytes: number;
  copyMs: number;
  parseMs: number;
}
type Report = ChildReport & {
  kinds: Record<string, Kind>;
  cpuMs: number;
  /** CPU time of the main thread alone during the read. */
  mainCpuMs: number;
  floor?: Floor;
  /** Heap in use after a full collection at the end of the read (readers). */
  liveHeap?: number;
  /** The default reader's second read, after warm-up. */
  againMs?: number;
};

interface Row {
  spec: string;
  entities: number;
  bytes: number;
  runs: Record<string, Report>;
}

const SURFACES = [
  'bound',
  'reader',
  'small',
  'half',
  'next',
  'virtual',
  'astro',
  'floor',
  'baseline',
] as const;
const rows: Row[] = [];
for (const spec of SIZES) {
  const dir = await snapshotOf(spec);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    counts: Record<string, number>;
  };
  const {
    files: _files,
    locales: _locales,
    pageTypes: _t,
    collections: _c,
    ...counted
  } = manifest.counts;
  const entities = Object.values(counted).reduce((a, b) => a + b, 0);
  const row: Row = { spec, entities, bytes: await folderSize(dir), runs: {} };
  for (const surface of SURFACES) {
    if (surface === 'baseline' && !BASELINE) continue;
    // Half the small cache, on the largest account: the heap kept grows by the budget only.
    if (surface === 'half' && spec !== SIZES.at(-1)) continue;
    process.stderr.write(`[bench] ${spec}: ${surface}…\n`);
    const input =
      surface === 'baseline'
        ? { module: BASELINE, dir, surface, sample: BASELINE_SAMPLE }
        : surface === 'small' || surface === 'half'
          ? {
              module: MODULE,
              dir,
              surface: 'reader',
              cache: surface === 'half' ? SMALL_CACHE / 2 : SMALL_CACHE,
            }
          : { module: MODULE, dir, surface, again: surface === 'reader' };
    // Readers report the heap they still hold after the read (a full collection at the end).
    const args = input.surface === 'reader' ? ['--expose-gc'] : [];
    row.runs[surface] = (await runChild(child, input, 60 * 60_000, args)) as Report;
  }
  rows.push(row);
}

const ms = (n: number) => (n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n)} ms`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
const label = (spec: string) => spec.replace(/,seed=\d+/, '');

console.log(
  `\nreader benchmark — snapshots synced from the fake (media and types off); every surface in its own process; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end\n`,
);
const described = (surface: string) =>
  surface === 'small'
    ? `reader, cache ${SMALL_CACHE} MB`
    : surface === 'half'
      ? `reader, cache ${SMALL_CACHE / 2} MB`
      : surface === 'baseline'
        ? `baseline (sample of ${BASELINE_SAMPLE})`
        : surface === 'floor'
          ? 'floor (see below)'
          : surface;
console.log(
  table([
    [
      'account',
      'entities',
      'snapshot',
      'surface',
      'total',
      '÷ bound',
      'CPU',
      '÷ bound',
      'main thread',
      '÷ bound',
      'peak RSS',
    ],
    ...rows.flatMap((r) =>
      Object.entries(r.runs).map(([surface, run]) => {
        const bound = r.runs.bound!;
        const relative = surface !== 'baseline' && surface !== 'floor';
        return [
          label(r.spec),
          String(r.entities),
          mb(r.bytes),
          described(surface),
          sec(run.wallMs),
          relative ? ratio(run.wallMs, bound.wallMs) : '—',
          sec(run.cpuMs),
          relative ? ratio(run.cpuMs, bound.cpuMs) : '—',
          sec(run.mainCpuMs),
          relative ? ratio(run.mainCpuMs, bound.mainCpuMs) : '—',
          mb(run.maxRss),
          run.liveHeap === undefined ? '—' : mb(run.liveHeap),
        ];
      }),
    ),
  ]),
);

console.log(
  `\nreader, a second read of everything (files read, code compiled): ${rows
    .map(
      (r) =>
        `${sec(r.runs.reader!.againMs!)} (${ratio(r.runs.reader!.againMs!, r.runs.bound!.wallMs)} bound)`,
    )
    .join(' / ')}`,
);
console.log(
  '\nfloor: the answers of the read pattern, and what producing them as fresh objects costs at least (summed per answer)',
);
console.log(
  table([
    [
      'account',
      'answers',
      'JSON',
      '÷ snapshot',
      'deep copy',
      'JSON.parse',
      'bound + copy',
      'reader ÷ that',
    ],
    ...rows.flatMap((r) => {
      const f = r.runs.floor?.floor;
      if (!f) return [];
      const least = r.runs.bound!.wallMs + f.copyMs;
      return [
        [
          label(r.spec),
          String(f.answers),
          mb(f.bytes),
          ratio(f.bytes, r.bytes),
          `${sec(f.copyMs)} (${ratio(f.copyMs, r.runs.bound!.wallMs)} bound)`,
          `${sec(f.parseMs)} (${ratio(f.parseMs, r.runs.bound!.wallMs)} bound)`,
          `${sec(least)} (${ratio(least, r.runs.bound!.wallMs)} bound)`,
          ratio(r.runs.reader!.wallMs, least),
        ],
      ];
    }),
  ]),
);

for (const surface of ['reader', 'small', 'next', 'virtual', 'baseline', 'astro'] as const) {
  console.log(
    `\n${described(surface)}: calls · p50 / p99 per kind${surface === 'reader' || surface === 'small' || surface === 'virtual' ? ' · p99 of the calls that read no file (first touches)' : ''}`,
  );
  const kinds = [...new Set(rows.flatMap((r) => Object.keys(r.runs[surface]?.kinds ?? {})))];
  console.log(
    table([
      ['kind', ...rows.map((r) => label(r.spec))],
      ...kinds.map((kind) => [
        kind,
        ...rows.map((r) => {
          const k = r.runs[surface]?.kinds[kind];
          if (!k) return '—';
          const warm = k.warmP99 === undefined ? '' : ` · ${ms(k.warmP99)} (${k.cold})`;
          return `${k.count} · ${ms(k.p50)} / ${ms(k.p99)}${warm}`;
        }),
      ]),
    ]),
  );
}

const largest = rows.at(-1)!;
const smallest = rows[0]!;
const budget = 2 * largest.bytes + 150 * 1024 * 1024;
const kindOf = (row: Row, kind: string) => row.runs.reader!.kinds[kind]!;
/** p99 of the calls that read no file: first touches read a chunk file, once per snapshot. */
const warmP99 = (row: Row, kind: string) => kindOf(row, kind).warmP99 ?? kindOf(row, kind).p99;
/** p99 of the second read: after warm-up (files read, code compiled). */
const againP99 = (row: Row, kind: string) => kindOf(row, `again ${kind}`).p99;
const checks: [string, boolean, string][] = [
  [
    'whole read through the reader ≤ 3× the bound',
    largest.runs.reader!.wallMs <= 3 * largest.runs.bound!.wallMs,
    `${ratio(largest.runs.reader!.wallMs, largest.runs.bound!.wallMs)} (main thread's CPU time: ${ratio(largest.runs.reader!.mainCpuMs, largest.runs.bound!.mainCpuMs)})`,
  ],
  ...(['page.retrieve', 'post.retrieve'] as const).map((kind): [string, boolean, string] => [
    `${kind} p99 ≤ 1 ms on every account, the largest no slower than the smallest, after warm-up (first read: calls that read no file; every call)`,
    rows.every((r) => againP99(r, kind) <= 1) &&
      againP99(largest, kind) <= Math.max(1, againP99(smallest, kind)),
    `${rows.map((r) => ms(againP99(r, kind))).join(' / ')} (${rows.map((r) => ms(warmP99(r, kind))).join(' / ')}; ${rows.map((r) => ms(kindOf(r, kind).p99)).join(' / ')})`,
  ]),
  [
    `peak RSS ≤ 2× snapshot + 150 MB (${mb(budget)})`,
    largest.runs.reader!.maxRss <= budget,
    mb(largest.runs.reader!.maxRss),
  ],
  [
    `cache ${SMALL_CACHE} MB: the heap kept after the read exceeds a ${SMALL_CACHE / 2} MB cache's by at most the difference; peak RSS`,
    largest.runs.small!.liveHeap! - largest.runs.half!.liveHeap! <= (SMALL_CACHE / 2) * 1024 * 1024,
    `${mb(largest.runs.small!.liveHeap!)} − ${mb(largest.runs.half!.liveHeap!)}; ${mb(largest.runs.small!.maxRss)}`,
  ],
];
console.log(`\ntargets, largest account (${label(largest.spec)}):`);
for (const [name, ok, value] of checks) console.log(`  ${ok ? 'PASS' : 'MISS'}  ${name}: ${value}`);
