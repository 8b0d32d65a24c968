/**
 * `node bench/snapshot-write.ts [--spec …] [--compare <src dir>] [--runs N] [--dir …]`: times
 * `writeSnapshot` alone on the content of a generated account (synced once from the fake, no
 * latency, then read back), in three scenarios, each in its own child process (wall time, CPU
 * time, peak RSS; the child's RSS after reading the content is shown as the base):
 *
 *   first      a fresh folder
 *   unchanged  over a copy of the same snapshot (writes nothing)
 *   changed    over that copy, 1% of the entities edited
 *
 * `--compare <dir>` also measures another checkout's `src/` (e.g. the previous implementation
 * extracted with `git archive <rev> src | tar -x -C <dir>`) in the same run, alternating.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ChildReport,
  folderSize,
  mb,
  runChild,
  sec,
  syncGeneratedAccount,
  table,
} from './lib.ts';

const { values } = parseArgs({
  options: {
    spec: { type: 'string', default: 'pages=5000,posts=14000,items=3000,seed=1' },
    compare: { type: 'string' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const root = join(import.meta.dirname, '..');

/** Builds `<src>/core/snapshot/index.ts` to plain JS (the children measure no type stripping). */
function build(src: string, name: string): string {
  const outDir = join(root, 'node_modules', '.cache', `butter-bench-snapshot-${name}`);
  const built = spawnSync(
    join(root, 'node_modules', '.bin', 'tsup'),
    [
      join(src, 'core/snapshot/index.ts'),
      '--no-config',
      '--format',
      'esm',
      '--platform',
      'node',
    ].concat(['--target', 'node22', '--out-dir', outDir, '--clean', '--silent']),
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (built.status !== 0) throw new Error(`[bench] building ${src} failed`);
  return join(outDir, 'index.js');
}

const modules: [string, string][] = [['current', build(join(root, 'src'), 'current')]];
if (values.compare) modules.unshift(['compare', build(join(values.compare, 'src'), 'compare')]);

const base = await mkdtemp(join(values.dir ?? tmpdir(), 'butter-bench-write-'));
const source = join(base, 'source');
process.stderr.write(`[bench] ${values.spec}: syncing once from the fake…\n`);
await syncGeneratedAccount(values.spec, source);
const snapshotBytes = await folderSize(source);

const scenarios = ['first', 'unchanged', 'changed'] as const;
const results = new Map<string, ChildReport[]>();
const child = join(import.meta.dirname, 'children', 'snapshot-write.mjs');
for (let run = 0; run < RUNS; run++) {
  for (const scenario of scenarios) {
    for (const [name, module] of modules) {
      const dir = join(base, 'out');
      await rm(dir, { recursive: true, force: true });
      if (scenario !== 'first') await cp(source, dir, { recursive: true });
      spawnSync('sync'); // flush dirty pages so one run's writeback does not land in the next
      process.stderr.write(`[bench]   ${name} ${scenario}, run ${run + 1}/${RUNS}…\n`);
      const report = await runChild(child, { module, source, dir, scenario });
      const key = `${name} ${scenario}`;
      results.set(key, [...(results.get(key) ?? []), report]);
    }
  }
}
await rm(base, { recursive: true, force: true });

const median = (runs: ChildReport[]): ChildReport => {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return {
    ...sorted[Math.floor((sorted.length - 1) / 2)]!,
    maxRss: Math.max(...runs.map((r) => r.maxRss)),
  };
};
console.log(
  `\nsnapshot write — ${values.spec} (${mb(snapshotBytes)} on disk) in ${values.dir ?? tmpdir()}; median of ${RUNS} runs (peak RSS: the highest); ${cpus().length} CPUs\n`,
);
console.log(
  table([
    ['implementation', 'scenario', 'wall', 'CPU', 'base RSS', 'peak RSS', 'peak − base', 'files'],
    ...[...results].map(([key, runs]) => {
      const r = median(runs);
      const [name, scenario] = key.split(' ') as [string, string];
      return [
        name,
        scenario,
        sec(r.wallMs),
        sec(r.writeCpuMs as number),
        mb(r.baseRss as number),
        mb(r.maxRss),
        mb(r.maxRss - (r.baseRss as number)),
        String(r.files),
      ];
    }),
  ]),
);
