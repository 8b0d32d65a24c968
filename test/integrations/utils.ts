/** Shared helpers of the integration tests: the fake server, temporary projects, outputs. */

import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import type { Options } from '../../src/core/options.ts';

const run = promisify(execFile);

export const TMP = new URL('./.tmp/', import.meta.url).pathname;

export async function tmpDir(name: string): Promise<string> {
  const dir = join(TMP, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

export { type FakeButter, startFakeButter };

/** Plugin options for a project in `root` synced from the fake server. */
export function optionsFor(fake: FakeButter, root: string, extra: Options = {}): Options {
  return {
    root,
    token: fake.token,
    apiUrl: fake.apiUrl,
    pageTypes: ['landing-page', 'guide'],
    collections: ['navigation_menu', 'feature'],
    mediaHosts: [new URL(fake.url).host],
    types: false,
    watch: false,
    ...extra,
  };
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * Imports a build output in a fresh Node process and returns what its `render()` resolves to
 * (as JSON): never a module cached from an earlier build, and no vitest module runner.
 */
export async function renderOutput<T>(file: string): Promise<T> {
  const script =
    'const m = await import(process.argv[1]); const render = m.render ?? m.default?.render;' +
    ' process.stdout.write(JSON.stringify(await render()));';
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, pathToFileURL(file).href],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as T;
}

/** Media paths (`/buttercms/<file>`) inside any JSON value. */
export function mediaPathsIn(value: unknown, base = '/buttercms/'): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\/buttercms\/[0-9a-f]{32}\.[a-z0-9]+/g)) found.add(m[0]);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found].filter((p) => p.startsWith(base)).sort();
}
