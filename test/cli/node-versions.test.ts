/**
 * The Node.js versions the package supports, and that it keeps its word: `engines` admits only
 * versions every runtime dependency supports, the README's note on npm's EBADENGINE warnings
 * names exactly the packages that print them, and the CLI as published (the files `npm pack`
 * ships) syncs under the oldest Node.js `engines` admits and under the pinned one.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { has, OLDEST_NODE, OLDEST_NODE_VERSION } from '../requirements.ts';
import { tempDir } from '../sync/helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

interface LockEntry {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
const lock: { packages: Record<string, LockEntry> } = JSON.parse(
  await readFile(join(ROOT, 'package-lock.json'), 'utf8'),
);

/** Where the package at lockfile path `from` finds `name`, as Node resolves it. */
function resolveIn(from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const path = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[path]) return path;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

/** Every package a user's install gets with ours: the runtime dependencies, transitively. */
function runtimeClosure(): string[] {
  const seen = new Set<string>();
  const queue: [string, string][] = Object.keys(pkg.dependencies).map((name) => ['', name]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const path = resolveIn(...next);
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    const entry = lock.packages[path]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      queue.push([path, name]);
    }
  }
  return [...seen].sort();
}

const packageName = (path: string) =>
  path === '' ? pkg.name : path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('supported Node.js versions', () => {
  it('claims only versions every runtime dependency supports', () => {
    expect(OLDEST_NODE_VERSION).toBe('22.12.0');
    const closure = runtimeClosure();
    expect(closure).toContain('node_modules/p-queue');
    const disagree = closure.filter((path) => {
      const range = lock.packages[path]!.engines?.node;
      return range !== undefined && !semver.subset(pkg.engines.node, range);
    });
    expect(disagree).toEqual([]);
    // The pinned Node.js the project develops on is one of them.
    expect(semver.satisfies(pkg.devDependencies.node, pkg.engines.node)).toBe(true);
  });

  it('names in the README exactly the packages npm warns about on an older Node.js', async () => {
    const readme = (await readFile(join(ROOT, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    const note =
      /on Node ([\d.]+), `npm install` prints `npm warn EBADENGINE[^`]*` for ([^(]+)\(/.exec(
        readme,
      );
    expect(note, 'the README says which packages warn').not.toBeNull();
    const [, version, list] = note!;
    const named = list!.trim().split(/, | and /);
    // What npm installs here: an optional binary of another platform is not installed.
    const warned = Object.entries(lock.packages)
      .filter(([path, entry]) => {
        const range = entry.engines?.node;
        if (range === undefined || (path !== '' && !existsSync(join(ROOT, path)))) return false;
        return !semver.satisfies(semver.coerce(version)!, range);
      })
      .map(([path]) => packageName(path));
    expect(named.sort()).toEqual([...new Set(warned)].sort());
  });
});

describe('the command in a checkout', () => {
  const bin = join(ROOT, pkg.bin['butter-sync']);
  it('runs the source under the pinned Node.js', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it.skipIf(!has('oldestNode'))(
    'says how to run it under a Node.js without type stripping',
    async () => {
      const failed = await run(OLDEST_NODE, [bin, '--version']).catch(
        (e: Error & { code: number; stderr: string }) => e,
      );
      expect((failed as { code: number }).code).toBe(2);
      expect((failed as { stderr: string }).stderr).toBe(
        `[buttercms] butter-sync runs from its source here (${join(ROOT, 'src/cli.ts')}), which needs Node.js with type stripping (≥ 22.18); this is v${OLDEST_NODE_VERSION}.\n  → Run it through npm, which uses the project's pinned Node.js: \`npx butter-sync\`, or \`npm run build\` and \`node dist/cli.js\`.\n`,
      );
    },
  );
});

describe.skipIf(!has('dist') || !has('oldestNode'))('the packed CLI', () => {
  let fake: FakeButter;
  let tmp: { dir: string; cleanup(): Promise<void> };
  let project: string;
  let bin: string;

  beforeAll(async () => {
    fake = await startFakeButter({ account: 'small' });
    tmp = await tempDir('butter-packed-');
    project = join(tmp.dir, 'project');
    // The files `npm pack` would publish, installed into a project (dependencies: this
    // checkout's).
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
    });
    const files: { path: string }[] = JSON.parse(stdout)[0].files;
    const installed = join(project, 'node_modules', pkg.name);
    for (const { path } of files) await cp(join(ROOT, path), join(installed, path));
    await symlink(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    bin = join(installed, pkg.bin['butter-sync']);
    await writeFile(
      join(project, 'butter.config.ts'),
      `import { defineConfig } from 'unplugin-buttercms';
export default defineConfig({
  apiUrl: ${JSON.stringify(fake.apiUrl)},
  pageTypes: ['landing-page', 'guide'],
  mediaHosts: [${JSON.stringify(new URL(fake.url).host)}],
});
`,
    );
  });
  afterAll(async () => {
    await fake?.close();
    await tmp?.cleanup();
  });

  it('ships the command, built, without the source', () => {
    expect(existsSync(bin)).toBe(true);
    expect(existsSync(join(project, 'node_modules', pkg.name, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', pkg.name, 'src'))).toBe(false);
  });

  it.each([
    ['oldest', OLDEST_NODE],
    ['pinned', process.execPath],
  ])('syncs with media and types under the %s Node.js', async (which, node) => {
    const env = { PATH: process.env.PATH, BUTTERCMS_API_TOKEN: fake.token, CI: '1' };
    const version = await run(node, [bin, '--version'], { cwd: project, env });
    expect(version.stdout.trim()).toBe(pkg.version);
    const out = join(project, `.buttercms-${which}`);
    const types = join(project, `buttercms-${which}.d.ts`);
    const sync = await run(node, [bin, '--out', out, '--types', types], { cwd: project, env });
    expect(sync.stdout).toMatch(/^synced 4 pages · 2 page types .* · 18 media \(18 new/m);
    expect((await readManifest(out))?.counts.files).toBeGreaterThan(10);
    expect((await readdir(join(out, 'media'))).length).toBeGreaterThan(18);
    expect(await readFile(types, 'utf8')).toContain("'landing-page'");
  });
});
