/**
 * The declarations file must be inside the project's TypeScript program, or it is silently
 * ignored: `typesOutsideProject` resolves the project's tsconfig with TypeScript's own parser
 * and says how to fix it. Each case is a project on disk (outside the repository, whose own
 * tsconfig would otherwise be found upwards); applying the suggested fix must silence it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tsconfig from '../../src/core/codegen/tsconfig.ts';
import { typesOutsideProject } from '../../src/core/codegen/types-in-project.ts';

vi.mock('../../src/core/codegen/tsconfig.ts', async (original) => {
  const actual = await original<typeof import('../../src/core/codegen/tsconfig.ts')>();
  return { ...actual, checkProject: vi.fn(actual.checkProject) };
});

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'types-in-project-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A project folder with these files (objects are written as JSON) and `buttercms.d.ts`. */
async function project(name: string, files: Record<string, unknown>): Promise<string> {
  const root = join(tmp, name);
  const all = { 'buttercms.d.ts': 'export {};\n', 'src/main.ts': 'export {};\n', ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
    await writeFile(join(root, path), text);
  }
  return root;
}

/** The warning for `root`'s `buttercms.d.ts`, the memo kept in the project's own folder. */
const check = (root: string, types = join(root, 'buttercms.d.ts')) =>
  typesOutsideProject(types, root, join(root, '.cache'));

/** Sets the properties the warning says to set in the config it names. */
async function applyFix(root: string, warning: string): Promise<void> {
  const [, file, properties] = /Fix: in (\S+), set (.+?)(?: — or .*)?\.$/.exec(warning)!;
  const path = join(root, file!);
  const config = JSON.parse(await readFile(path, 'utf8'));
  Object.assign(config, JSON.parse(`{${properties!.replace(' and ', ', ')}}`));
  await writeFile(path, JSON.stringify(config));
}

describe('typesOutsideProject', () => {
  it("create-vite's solution (files: [] + references, the app including src): names tsconfig.app.json and the fix", async () => {
    const root = await project('create-vite', {
      'tsconfig.json': {
        files: [],
        references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }],
      },
      // An option this TypeScript does not know changes nothing to which files are in.
      'tsconfig.app.json': {
        compilerOptions: { strict: true, optionOfANewerTypeScript: true },
        include: ['src'],
      },
      'tsconfig.node.json': { include: ['vite.config.ts'] },
      'vite.config.ts': 'export default {};\n',
    });
    const warning = await check(root);
    expect(warning).toBe(
      'buttercms.d.ts is not part of your TypeScript project: tsconfig.app.json ("include": ["src"]) does not cover it, so TypeScript ignores it and ButterCMS content is typed `unknown`. ' +
        `Fix: in tsconfig.app.json, set "include": ["src", "buttercms.d.ts"] — or generate it in a folder the project includes: \`types: 'src/buttercms.d.ts'\`.`,
    );
    await applyFix(root, warning!);
    expect(await check(root)).toBeUndefined();
    // The other fix: the file generated where the app's include looks.
    const moved = await project('create-vite-moved', {
      'tsconfig.json': { include: ['src'] },
      'src/buttercms.d.ts': 'export {};\n',
    });
    expect(await check(moved, join(moved, 'src/buttercms.d.ts'))).toBeUndefined();
  });

  it('resolves `extends` (a file and a package): an inherited include, rewritten relative to the config', async () => {
    const root = await project('extends/site', {
      'tsconfig.json': { extends: '@acme/tsconfig/base.json', compilerOptions: {} },
      'node_modules/@acme/tsconfig/package.json': { name: '@acme/tsconfig', version: '1.0.0' },
      'node_modules/@acme/tsconfig/base.json': { extends: '../../../../shared.json' },
    });
    await writeFile(join(tmp, 'extends/shared.json'), JSON.stringify({ include: ['site/src'] }));
    const warning = await check(root);
    expect(warning).toContain('tsconfig.json ("include": ["src"]) does not cover it');
    expect(warning).toContain('Fix: in tsconfig.json, set "include": ["src", "buttercms.d.ts"]');
    await applyFix(root, warning!);
    expect(await check(root)).toBeUndefined();
  });

  it('says nothing when the project covers the file (its include, Astro and Next defaults, no include at all)', async () => {
    const configs: Record<string, unknown>[] = [
      { include: ['src', 'buttercms.d.ts'] },
      { extends: './base.json', include: ['.astro/types.d.ts', '**/*'], exclude: ['dist'] },
      { include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'], exclude: ['node_modules'] },
      { compilerOptions: { strict: true } },
      { files: ['src/main.ts', 'buttercms.d.ts'] },
    ];
    for (const [i, config] of configs.entries()) {
      const root = await project(`covered-${i}`, {
        'tsconfig.json': config,
        'base.json': { compilerOptions: {} },
      });
      expect(await check(root), JSON.stringify(config)).toBeUndefined();
    }
  });

  it('falls back on `files` when `exclude` would drop the file from any include', async () => {
    const root = await project('excluded', {
      'tsconfig.json': { include: ['**/*'], exclude: ['*.d.ts'] },
    });
    const warning = await check(root);
    expect(warning).toContain(
      'tsconfig.json ("include": ["**/*"], "exclude": ["*.d.ts"]) does not cover it',
    );
    expect(warning).toContain('Fix: in tsconfig.json, set "files": ["buttercms.d.ts"].');
    await applyFix(root, warning!);
    expect(await check(root)).toBeUndefined();

    const noInclude = await project('excluded-default', {
      'tsconfig.json': { exclude: ['buttercms.d.ts'] },
    });
    const defaults = await check(noInclude);
    expect(defaults).toContain('set "include": ["**/*"] and "files": ["buttercms.d.ts"].');
    await applyFix(noInclude, defaults!);
    expect(await check(noInclude)).toBeUndefined();
  });

  it('a declarations file elsewhere (types: ../…) gets a relative entry; a jsconfig.json counts too', async () => {
    const root = await project('elsewhere/site', {
      'jsconfig.json': { include: ['src'] },
    });
    const types = join(tmp, 'elsewhere/types/buttercms.d.ts');
    await mkdir(dirname(types), { recursive: true });
    await writeFile(types, 'export {};\n');
    const warning = await check(root, types);
    expect(warning).toContain(
      'Fix: in jsconfig.json, set "include": ["src", "../types/buttercms.d.ts"]',
    );
    await applyFix(root, warning!);
    expect(await check(root, types)).toBeUndefined();
  });

  it('says nothing without a tsconfig, without the file, or when the config cannot be parsed', async () => {
    expect(await check(await project('no-config', {}))).toBeUndefined();
    const missing = await project('no-file', { 'tsconfig.json': { include: ['src'] } });
    expect(await check(missing, join(missing, 'gone.d.ts'))).toBeUndefined();
    const broken = await project('broken', {
      'tsconfig.json': { extends: '@missing/tsconfig', include: ['src'] },
    });
    expect(await check(broken)).toBeUndefined();
  });

  it('keeps its verdict while no config file changes: the compiler is not loaded again', async () => {
    const root = await project('memo', {
      'tsconfig.json': { extends: './tsconfig.base.json' },
      'tsconfig.base.json': { include: ['src'] },
    });
    const parsed = vi.mocked(tsconfig.checkProject);
    parsed.mockClear();
    const first = await check(root);
    expect(first).toContain('does not cover it');
    expect(await check(root)).toBe(first);
    expect(parsed).toHaveBeenCalledTimes(1);
    // An edit to the extended config is seen.
    await writeFile(
      join(root, 'tsconfig.base.json'),
      JSON.stringify({ include: ['src', 'buttercms.d.ts'] }),
    );
    expect(await check(root)).toBeUndefined();
    expect(parsed).toHaveBeenCalledTimes(2);
    expect(await check(root)).toBeUndefined();
    expect(parsed).toHaveBeenCalledTimes(2);
  });
});
