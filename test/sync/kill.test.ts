/**
 * `butter-sync` killed (SIGKILL) at points spread over a sync with types: whatever the moment,
 * the snapshot never holds newer content than `buttercms.d.ts` describes (the declarations go
 * in just before the snapshot), and the next run leaves the two consistent and no temporary
 * file of the killed one behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { fakeAndTempDir } from './helpers.ts';

const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

const env = fakeAndTempDir('small', 'butter-kill-');

/** Runs the CLI; kills it after `killAfter` ms (if given). Resolves to its exit code or signal. */
function cli(killAfter?: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      ...[
        '--token',
        env.fake.token,
        '--api-url',
        env.fake.apiUrl,
        '--locales',
        'en,fr',
        '--quiet',
        '--full',
      ],
      ...['--page-types', 'guide,landing-page', '--collections', 'faq'],
    ],
    { cwd: env.dir, stdio: 'ignore', env: { ...process.env, CI: '1', BUTTERCMS_API_TOKEN: '' } },
  );
  const timer =
    killAfter === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfter);
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done(signal ?? String(code));
    });
  });
}

/** The fields the snapshot's guide pages hold, and whether the declarations name each. */
async function consistency(): Promise<{ field: string; typed: boolean }[]> {
  const { content } = await readSnapshot(join(env.dir, '.buttercms'));
  const types = await readFile(join(env.dir, 'buttercms.d.ts'), 'utf8');
  const guide = content.locales[0]!.pageTypes.guide!;
  const fields = new Set(guide.flatMap((page) => Object.keys(page.fields as object)));
  return [...fields]
    .filter((f) => f.startsWith('marker_'))
    .map((field) => ({
      field,
      typed: types.includes(`${field}`),
    }));
}

it('never leaves newer content than its types, and the next run cleans up', {
  timeout: 180_000,
}, async () => {
  const started = performance.now();
  expect(await cli()).toBe('0');
  const duration = performance.now() - started;
  const kills = 8;
  let killed = 0;
  for (let i = 0; i < kills; i++) {
    env.fake.updateAccount((account) => {
      const guide = account.pages.find((p) => p.pageType === 'guide')!;
      guide.fields[`marker_${i}`] = 'new';
    });
    const outcome = await cli(((i + 0.5) / kills) * duration);
    if (outcome === 'SIGKILL') killed++;
    for (const { field, typed } of await consistency()) expect(typed, field).toBe(true);
    expect(await cli()).toBe('0');
    for (const { field, typed } of await consistency()) expect(typed, field).toBe(true);
    const left = (await readdir(env.dir)).filter((n) =>
      /\.tmp$|\.tmp-|\.trash-|\.spool-|\.part$/.test(n),
    );
    expect(left).toEqual([]);
  }
  expect(killed).toBeGreaterThan(kills / 2);
});

it('sweeps the temporary files a killed run left (media, its manifest, the types)', async () => {
  const out = join(env.dir, 'swept');
  const media = join(out, 'media');
  await mkdir(media, { recursive: true });
  // A process that has ended: what it left is stale. This one's (alive) is not.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const hourAgo = new Date(Date.now() - 2 * 3600_000);
  const files = {
    stale: [
      join(media, `.${dead}-0a1b2c3d4e5f.part`),
      join(media, `.media-manifest.json.${dead}-0a1b2c3d4e5f.tmp`),
      join(env.dir, `swept.d.ts.${dead}-0a1b2c3d4e5f.tmp`),
      // Named by older versions (no process id), an hour old.
      join(media, `.${'a'.repeat(16)}.part`),
      join(media, `.media-manifest.json.${'b'.repeat(12)}.tmp`),
      join(env.dir, `swept.d.ts.${'c'.repeat(12)}.tmp`),
    ],
    kept: [
      join(media, `.${process.pid}-0a1b2c3d4e5f.part`),
      join(media, `.${'d'.repeat(16)}.part`),
      join(env.dir, 'swept.d.ts.notes.tmp'),
    ],
  };
  for (const file of [...files.stale, ...files.kept]) await writeFile(file, 'x');
  for (const file of files.stale.slice(3)) await utimes(file, hourAgo, hourAgo);
  await sync({
    token: env.fake.token,
    apiUrl: env.fake.apiUrl,
    out,
    types: join(env.dir, 'swept.d.ts'),
    pageTypes: ['guide'],
    locales: ['en'],
    mediaHosts: [new URL(env.fake.url).host],
  });
  const names = new Set([...(await readdir(media)), ...(await readdir(env.dir))]);
  for (const file of files.stale) expect(names.has(file.split('/').at(-1)!), file).toBe(false);
  for (const file of files.kept) expect(names.has(file.split('/').at(-1)!), file).toBe(true);
});
