/**
 * Benchmark plumbing: run a measurement in a child process (so its peak RSS is its own) and
 * read the one JSON line it prints last; folder sizes; table formatting.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeButter } from '../fixtures/server/index.ts';
import { sync } from '../src/core/sync/index.ts';

export interface ChildReport {
  /** Wall time of the measured work inside the child, ms (process start-up excluded). */
  wallMs: number;
  /** Peak resident set size of the child, bytes. */
  maxRss: number;
  [key: string]: unknown;
}

/**
 * Runs a child script (with `nodeArgs`); its report is the JSON line it prints last.
 * `BENCH_NODE_ARGS` adds Node flags to every child (`--cpu-prof --cpu-prof-dir=/tmp/prof` profiles the contenders,
 * worker threads included).
 */
export function runChild(
  script: string,
  input: unknown,
  timeoutMs = 30 * 60_000,
  nodeArgs: string[] = [],
): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...nodeArgs, script],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, BUTTERCMS_API_TOKEN: '', BUTTERCMS_API_URL: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code}:\n${stderr.slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as ChildReport);
      } catch {
        reject(
          new Error(
            `${script} printed no JSON result:\n${stdout.slice(-1000)}\n${stderr.slice(-1000)}`,
          ),
        );
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** Bytes of every file under `dir`. */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, n) => {
      const line = r.map((cell, i) =>
        i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      );
      const text = line.join('  ');
      return n === 0 ? `${text}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : text;
    })
    .join('\n');
}

/**
 * Syncs a generated account (every page type, collection and locale it has) from an in-process
 * fake server into `out`, without media or types: the input of the write and types benches.
 */
export async function syncGeneratedAccount(spec: string, out: string): Promise<void> {
  const fake = await startFakeButter({ account: `generated:${spec}` });
  try {
    const account = fake.account;
    await sync({
      apiUrl: fake.apiUrl,
      token: fake.token,
      out,
      media: false,
      types: false,
      pageTypes: [...new Set(account.pages.map((p) => p.pageType).filter((t) => !!t))] as string[],
      collections: Object.keys(account.collections),
      locales: account.locales.length > 1 ? account.locales : [],
    });
  } finally {
    await fake.close();
  }
}

/**
 * Builds `entries` (paths from the repository root) with tsup into plain JavaScript, for child
 * processes that should not pay for Node's type stripping (~40 MB of RSS). Built into
 * node_modules/.cache/<name> so it cannot clash with anyone's dist/; returns that folder.
 */
export function buildForBench(
  entries: string[],
  name: string,
  cwd = join(import.meta.dirname, '..'),
): string {
  const outDir = join(import.meta.dirname, '..', 'node_modules', '.cache', name);
  const tsup = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsup');
  const built = spawnSync(
    tsup,
    [
      ...entries,
      '--no-config',
      '--format',
      'esm',
      '--platform',
      'node',
      '--target',
      'node22',
    ].concat(['--out-dir', outDir, '--clean', '--silent']),
    { cwd, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (built.status !== 0) throw new Error(`[bench] building ${entries.join(', ')} failed`);
  return outDir;
}

/**
 * The sync as `butter-sync` runs it: built (esbuild via tsup, plain JS) from
 * `src/core/sync/index.ts`, which loads media and codegen only when they run (the package
 * entry also re-exports codegen, whose TypeScript compiler a sync without types never needs);
 * not from the TypeScript sources, whose type stripping alone adds ~40 MB of RSS. Returns the
 * module's path.
 */
export function buildSyncPackage(): string {
  return join(buildForBench(['src/core/sync/index.ts'], 'butter-bench'), 'index.js');
}

/** The accounts a bench measures: `--quick` a small one, `--largest` the last of `all`, else all. */
export function chooseSizes(
  all: string[],
  quick: string,
  flags: { quick?: boolean; largest?: boolean },
): string[] {
  if (flags.quick) return [quick];
  return flags.largest ? all.slice(-1) : all;
}
