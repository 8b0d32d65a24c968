/**
 * `butter-sync` in a create-vite project (tsconfig.json `"files": []` referencing
 * tsconfig.app.json with `"include": ["src"]`): the declarations land in the project root,
 * where TypeScript never reads them. Each run says so once, with the fix — the sync, `types`,
 * and watch mode (whose refreshes do not repeat it) — and a fixed tsconfig silences it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { pageTypesOf, tempDir } from '../sync/helpers.ts';
import { runCli, spawnCli } from './helpers.ts';

const WARNING = /warning: buttercms\.d\.ts is not part of your TypeScript project/g;
const FIX = 'Fix: in tsconfig.app.json, set "include": ["src", "buttercms.d.ts"]';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
const env = () => ({ BUTTERCMS_API_TOKEN: fake.token });
const args = () => [
  ...['--api-url', fake.apiUrl, '--no-media', '--page-types', pageTypesOf(fake.account).join(',')],
];

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir('butter-tsconfig-');
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(
    join(tmp.dir, 'tsconfig.json'),
    json({
      files: [],
      references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }],
    }),
  );
  await writeFile(join(tmp.dir, 'tsconfig.app.json'), json({ include: ['src'] }));
  await writeFile(join(tmp.dir, 'tsconfig.node.json'), json({ include: ['vite.config.ts'] }));
  await mkdir(join(tmp.dir, 'src'));
  await writeFile(join(tmp.dir, 'src/main.ts'), 'export {};\n');
  await mkdir(join(tmp.dir, 'node_modules')); // the check's memo goes to node_modules/.cache
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

it('warns once per run with the fix, not on watch refreshes; a fixed tsconfig silences it', async () => {
  const sync = await runCli(args(), { cwd: tmp.dir, env: env() });
  expect(sync.code).toBe(0);
  expect(sync.stderr.match(WARNING)).toHaveLength(1);
  expect(sync.stderr).toContain(FIX);

  const types = await runCli(['types'], { cwd: tmp.dir, env: env() });
  expect(types.code).toBe(0);
  expect(types.stderr.match(WARNING)).toHaveLength(1);

  const watching = spawnCli(['--watch', '--poll-interval', '1s', ...args()], {
    cwd: tmp.dir,
    env: env(),
  });
  try {
    const waitFor = async (pattern: RegExp) => {
      const end = Date.now() + 20_000;
      while (!pattern.test(watching.out())) {
        if (Date.now() > end) throw new Error(`no ${pattern} in:\n${watching.out()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(/watching ButterCMS/);
    fake.updateAccount((account) => {
      const page = account.pages.find((p) => p.slug === 'guide-a')!;
      page.fields = { ...page.fields, added_while_watching: 3 };
      page.updated = new Date().toISOString();
    });
    await waitFor(/types regenerated/); // the declarations file was rewritten
  } finally {
    watching.child.kill('SIGTERM');
  }
  expect(await watching.exit).toBe(0);
  expect(watching.err().match(WARNING)).toHaveLength(1);

  const app = join(tmp.dir, 'tsconfig.app.json');
  const config = JSON.parse(await readFile(app, 'utf8'));
  await writeFile(app, JSON.stringify({ ...config, include: ['src', 'buttercms.d.ts'] }));
  const fixed = await runCli(args(), { cwd: tmp.dir, env: env() });
  expect(fixed.code).toBe(0);
  expect(fixed.stderr).not.toMatch(WARNING);
}, 90_000);
