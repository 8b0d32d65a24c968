/**
 * `node bench/tsconfig-check.ts [--files 1000,10000,50000] [--runs 5]`: what the check that the
 * declarations file is in the project's TypeScript program (`typesOutsideProject`, run once
 * per sync or build) costs, on generated create-vite projects (tsconfig.json referencing
 * tsconfig.app.json with `"include": ["src"]`, `buttercms.d.ts` in the root, N files under
 * src/ and as many under node_modules/). Every measurement runs in a fresh process, timed
 * inside it (process start-up excluded), median of `--runs`:
 *
 *   cold    no memo: load the compiler (ts-morph), parse the configs, walk the project's files
 *   load    import('ts-morph') alone: the floor of any check that asks TypeScript
 *   parse   the configs parsed and the files walked, the compiler already loaded
 *   warm    the memo is current (what every build after the first pays): a few stats
 *
 * Not a timed test.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../src/core/codegen/tsconfig.ts';
import { typesOutsideProject } from '../src/core/codegen/types-in-project.ts';
import { table } from './lib.ts';

type Mode = 'cold' | 'load' | 'parse' | 'warm';

/** In a child: one measurement of `mode` on the project `root`, printed as JSON. */
async function measure(mode: Mode, root: string): Promise<void> {
  const types = join(root, 'buttercms.d.ts');
  const cache = join(root, 'node_modules/.cache/unplugin-buttercms');
  if (mode === 'cold') await rm(cache, { recursive: true, force: true });
  if (mode === 'parse') await import('ts-morph');
  const started = performance.now();
  if (mode === 'load') await import('ts-morph');
  else if (mode === 'parse') await checkProject(types, join(root, 'tsconfig.json'));
  else if (!(await typesOutsideProject(types, root, cache))) throw new Error('no warning');
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
}

async function generate(root: string, files: number): Promise<void> {
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  await writeFile(
    join(root, 'tsconfig.json'),
    json({
      files: [],
      references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }],
    }),
  );
  await writeFile(join(root, 'tsconfig.app.json'), json({ include: ['src'] }));
  await writeFile(join(root, 'tsconfig.node.json'), json({ include: ['vite.config.ts'] }));
  await writeFile(join(root, 'vite.config.ts'), 'export default {};\n');
  await writeFile(join(root, 'buttercms.d.ts'), 'export {};\n');
  for (const folder of ['src', 'node_modules/some-package']) {
    for (let i = 0; i < files; i += 100) {
      const dir = join(root, folder, `d${i / 100}`);
      await mkdir(dir, { recursive: true });
      const batch = Array.from({ length: Math.min(100, files - i) }, (_, j) =>
        writeFile(join(dir, `m${j}.${folder === 'src' ? 'ts' : 'js'}`), 'export {};\n'),
      );
      await Promise.all(batch);
    }
  }
}

function child(mode: Mode, root: string): number {
  const run = spawnSync(process.execPath, [import.meta.filename, '--child', mode, root], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ms: number }).ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'string' },
    files: { type: 'string', default: '1000,10000,50000' },
    runs: { type: 'string', default: '5' },
  },
});

if (values.child) {
  await measure(values.child as Mode, positionals[0]!);
} else {
  const rows = [
    ['files under src/', 'cold', 'load', 'parse', 'warm', 'cold ÷ warm', 'parse ÷ load'],
  ];
  for (const files of values.files.split(',').map(Number)) {
    const root = await mkdtemp(join(tmpdir(), 'bench-tsconfig-'));
    try {
      await generate(root, files);
      const times: Record<Mode, number[]> = { cold: [], load: [], parse: [], warm: [] };
      for (let run = 0; run < Number(values.runs); run++) {
        // Alternating, so that the machine's load spreads over every mode alike.
        for (const mode of ['cold', 'warm', 'load', 'parse'] as const) {
          times[mode].push(child(mode, root));
        }
      }
      const [cold, load, parse, warm] = (['cold', 'load', 'parse', 'warm'] as const).map((m) =>
        median(times[m]),
      ) as [number, number, number, number];
      const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
      rows.push([
        files.toLocaleString('en'),
        ms(cold),
        ms(load),
        ms(parse),
        ms(warm),
        `${(cold / warm).toFixed(0)}×`,
        `${(parse / load).toFixed(2)}×`,
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${table(rows)}\n`);
}
