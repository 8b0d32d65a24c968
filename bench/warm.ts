/**
 * `npm run bench -- warm [--quick] [--remote-media]`: warm syncs against cold ones, on generated
 * accounts of about 20k and 100k entities, from the fake server with 30 ms of latency per
 * request (API answers and media files alike), with the defaults (media downloaded from the
 * fake's CDN, types on), each sync in its own process. `--remote-media` leaves the media URLs
 * remote (the fake's host is not a media host then), to measure the API and the stages alone.
 * Per account, in one run:
 *
 *   cold        a first sync (no snapshot)
 *   no change   a warm sync right after it
 *   week        a warm sync after a week of edits (`WEEK`: pages, posts and items edited, added
 *               and deleted), beside a cold (`--full`) sync of the same account from a copy of
 *               the snapshot before the edits; both must write the same snapshot
 *
 * and prints the ratios the targets are about: requests, bytes and time of each warm
 * sync over its cold one. The fake renders every answer itself (its CPU is in both).
 */
import { cp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyEdit, type Edit, type EditKind } from '../fixtures/account/edit.ts';
import { startFakeButter } from '../fixtures/server/index.ts';
import { buildSyncPackage, type ChildReport, mb, runChild, sec, table } from './lib.ts';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    quick: { type: 'boolean', default: false },
    latency: { type: 'string', default: '30' },
    'remote-media': { type: 'boolean', default: false },
  },
});
const SIZES = values.quick
  ? ['pages=500,posts=1000,items=300,seed=1']
  : ['pages=5000,posts=14000,items=3000,seed=1', 'pages=50000,posts=50000,items=10000,seed=1'];

/** A week of edits: a few pages, posts and items edited, added and deleted. */
const WEEK: [EditKind, number][] = [
  ['editPage', 6],
  ['addPage', 2],
  ['deletePage', 1],
  ['editPost', 8],
  ['addPost', 4],
  ['deletePost', 1],
  ['editItem', 5],
  ['addItem', 2],
  ['deleteItem', 1],
];

const child = join(import.meta.dirname, 'children', 'warm.mjs');
process.stderr.write('[bench] building the package…\n');
const module = buildSyncPackage();

interface Row {
  spec: string;
  cold: ChildReport;
  unchanged: ChildReport;
  week: ChildReport;
  weekCold: ChildReport;
}
const rows: Row[] = [];
for (const spec of SIZES) {
  process.stderr.write(`[bench] ${spec}: generating…\n`);
  const fake = await startFakeButter({ account: `generated:${spec}` });
  const dir = join(tmpdir(), `butter-bench-warm-${process.pid}-${rows.length}`);
  try {
    const account = fake.account;
    const input = (name: string, full = false) => ({
      module,
      apiUrl: fake.apiUrl,
      token: fake.token,
      out: join(dir, name),
      types: join(dir, `${name}.d.ts`),
      pageTypes: [...new Set(account.pages.map((p) => p.pageType).filter((t) => !!t))],
      collections: Object.keys(account.collections),
      locales: account.locales.length > 1 ? account.locales : [],
      full,
      ...(values['remote-media'] ? {} : { mediaHosts: [new URL(fake.url).host] }),
    });
    fake.setFaults({ latencyMs: Number(values.latency) });
    process.stderr.write('[bench]   cold sync…\n');
    const cold = await runChild(child, input('warm'));
    process.stderr.write('[bench]   warm sync, nothing changed…\n');
    const unchanged = await runChild(child, input('warm'));
    await cp(join(dir, 'warm'), join(dir, 'cold'), { recursive: true });
    await cp(join(dir, 'warm.d.ts'), join(dir, 'cold.d.ts'));
    let n = 0;
    fake.updateAccount((edited) => {
      for (const [kind, count] of WEEK) {
        for (let i = 0; i < count; i++) {
          const edit: Edit = { kind, pick: (n + 1) * 7919 };
          applyEdit(edited, edit, new Date(), ++n);
        }
      }
    });
    process.stderr.write('[bench]   warm sync after a week of edits, and a cold one…\n');
    const week = await runChild(child, input('warm'));
    const weekCold = await runChild(child, input('cold', true));
    const manifest = async (name: string) => {
      const { syncedAt: _time, ...rest } = JSON.parse(
        await readFile(join(dir, name, 'manifest.json'), 'utf8'),
      );
      return JSON.stringify(rest);
    };
    if ((await manifest('warm')) !== (await manifest('cold'))) {
      throw new Error(`${spec}: the warm sync wrote another snapshot than the cold one`);
    }
    rows.push({ spec, cold, unchanged, week, weekCold });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)} %`;
const n = (value: unknown) => Number(value);
console.log(
  `\nWarm syncs, ${values.latency} ms latency, ${values['remote-media'] ? 'media URLs left remote' : 'media downloaded from the fake CDN'}, types on (load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})\n`,
);
console.log(
  table([
    [
      'account (pages/posts/items)',
      'cold: requests · bytes · time',
      'no change: requests · bytes · time',
      'week of edits: requests · time (its cold)',
    ],
    ...rows.map(({ spec, cold, unchanged, week, weekCold }) => [
      spec.replace(/pages=(\d+),posts=(\d+),items=(\d+).*/, '$1/$2/$3'),
      `${n(cold.requests)} · ${mb(n(cold.bytes))} · ${sec(cold.wallMs)}`,
      `${n(unchanged.requests)} (${pct(n(unchanged.requests), n(cold.requests))}) · ${mb(n(unchanged.bytes))} (${pct(n(unchanged.bytes), n(cold.bytes))}) · ${sec(unchanged.wallMs)} (${pct(unchanged.wallMs, cold.wallMs)})`,
      `${n(week.requests)} of ${n(weekCold.requests)} (${pct(n(week.requests), n(weekCold.requests))}) · ${sec(week.wallMs)} of ${sec(weekCold.wallMs)} (${pct(week.wallMs, weekCold.wallMs)})`,
    ]),
  ]),
);
const phases = (r: ChildReport) => {
  const t = r.timings as Record<string, number>;
  return `${sec(t.crawlMs!)} · ${sec(t.mediaMs!)} · ${sec(t.typesMs!)} · ${sec(t.writeMs!)}`;
};
console.log('\nWhere the time goes: crawl (with probes) · media · types · write\n');
console.log(
  table([
    ['account', 'cold', 'no change', 'week of edits', 'its cold'],
    ...rows.map(({ spec, cold, unchanged, week, weekCold }) => [
      spec.replace(/pages=(\d+),posts=(\d+),items=(\d+).*/, '$1/$2/$3'),
      phases(cold),
      phases(unchanged),
      phases(week),
      phases(weekCold),
    ]),
  ]),
);
console.log(
  '\nTargets: no change ≤ 25 % of the requests, ≤ 15 % of the bytes; a week of edits ≤ 60 % of the requests; time ≤ 30 %.',
);
