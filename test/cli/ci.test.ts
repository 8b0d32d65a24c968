/**
 * docs/ci.md's recipes against the real CLI: the key command the GitHub Actions recipe runs,
 * the paths it caches and the outputs and inputs of the Turborepo task are those `butter-sync`
 * prints and writes; the key's content part moves with the content and only with it.
 */
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectionsOf, fakeAndTempDir, pageTypesOf } from '../sync/helpers.ts';
import { runCli } from './helpers.ts';

const env = fakeAndTempDir('small', 'butter-ci-');
const doc = await readFile(resolve(import.meta.dirname, '../../docs/ci.md'), 'utf8');
const block = (lang: string) => {
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/ci.md has no ${lang} block`);
  return match[1]!;
};
const workflow = block('yaml');
const turbo = JSON.parse(block('json')) as {
  tasks: Record<
    string,
    {
      outputs?: string[];
      inputs?: string[];
      env?: string[];
      passThroughEnv?: string[];
      dependsOn?: string[];
    }
  >;
};

/** The shell lines of the workflow that print the key (`key=$(npx butter-sync …)`). */
const keyCommands = [...workflow.matchAll(/\$\(npx (butter-sync[^)]*)\)/g)].map((m) => m[1]!);

beforeAll(async () => {
  await writeFile(
    join(env.dir, 'butter.config.json'),
    JSON.stringify({
      apiUrl: env.fake.apiUrl,
      locales: ['en', 'fr'],
      pageTypes: pageTypesOf(env.fake.account),
      collections: collectionsOf(env.fake.account),
      media: false,
    }),
  );
});

/** Runs a documented command line (`butter-sync …`) in the project. */
async function run(command: string, token = true) {
  const args = command.split(/\s+/).slice(1);
  const result = await runCli(args, {
    cwd: env.dir,
    env: token ? { BUTTERCMS_API_TOKEN: env.fake.token } : {},
  });
  expect(result.stderr).not.toContain(env.fake.token);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe('docs/ci.md', () => {
  it('the GitHub Actions recipe: its key command, the paths it caches', async () => {
    expect(keyCommands).toEqual(['butter-sync --print-cache-key', 'butter-sync --print-cache-key']);
    // Before any sync (a cache miss): no token needed, no request made.
    env.fake.resetLog();
    const before = await run(keyCommands[0]!, false);
    expect(env.fake.log).toHaveLength(0);
    expect(before).toMatch(/^buttercms-[0-9a-f]{16}-none$/);
    // The prefix the workflow cuts (`${key%-*}-`) is the part of the options.
    const prefix = `${before.slice(0, before.lastIndexOf('-'))}-`;

    expect(workflow).toMatch(/run: npx butter-sync\n/);
    await run('butter-sync');
    const synced = await run(keyCommands[1]!);
    expect(synced).toMatch(new RegExp(`^${prefix}[0-9a-f]{16}$`));
    const paths = /path: \|\n((?:\s+\S+\n)+)/.exec(workflow)![1]!.trim().split(/\s+/);
    expect(paths).toEqual(['.buttercms', 'buttercms.d.ts']);
    for (const path of paths) await access(join(env.dir, path));

    // A warm sync that finds nothing new keeps the key; an edit moves its content part only.
    await run('butter-sync');
    expect(await run(keyCommands[1]!)).toBe(synced);
    env.fake.updateAccount((account) => {
      const page = account.pages.find((p) => p.pageType === 'guide')!;
      page.name = `${page.name}, edited`;
      page.updated = new Date().toISOString();
    });
    await run('butter-sync');
    const edited = await run(keyCommands[1]!);
    expect(edited.startsWith(prefix)).toBe(true);
    expect(edited).not.toBe(synced);
    // Another option, another prefix.
    const other = await run('butter-sync --print-cache-key --levels 1');
    expect(other.startsWith(prefix)).toBe(false);
  });

  it('the Turborepo task: outputs are what the sync writes, builds take the snapshot in', async () => {
    const task = turbo.tasks['//#butter-sync']!;
    expect(task.outputs).toEqual(['.buttercms/**', 'buttercms.d.ts']);
    // Everything the sync wrote into the project (the lock is gone once it ended).
    const written = (await readdir(env.dir)).filter((name) => name !== 'butter.config.json');
    expect(written.sort()).toEqual(['.buttercms', 'buttercms.d.ts']);
    expect(task.passThroughEnv).toEqual(['BUTTERCMS_API_TOKEN']);
    expect(task.env).toEqual(['BUTTERCMS_API_URL']);
    expect(turbo.tasks.build!.inputs).toContain('$TURBO_ROOT$/.buttercms/manifest.json');
    expect(turbo.tasks.build!.dependsOn).toContain('//#butter-sync');
  });
});
