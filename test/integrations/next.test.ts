/**
 * Next.js: withButter syncs while next.config is evaluated, once per build even when several
 * processes evaluate it at the same time; other phases never sync.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sync } from '../../src/core/sync/index.ts';
import { stopNextWatch } from '../../src/integrations/next/index.ts';
import { DONE_ENV } from '../../src/integrations/next/once.ts';
import { prepareForNext, withButter } from '../../src/next.ts';
import { nextButter } from '../../src/next-reader.ts';
import { type FakeButter, optionsFor, startFakeButter, tmpDir } from './utils.ts';

const run = promisify(execFile);
const SCRIPT = new URL('./fixtures/next-config.ts', import.meta.url).pathname;

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterEach(async () => {
  delete process.env[DONE_ENV];
  await stopNextWatch();
});
afterAll(async () => {
  await fake?.close();
});

describe('withButter', () => {
  it('syncs in the build phase, once per process tree, and returns the config', async () => {
    const root = await tmpDir('next-build');
    const options = optionsFor(fake, root);
    const config = withButter({ reactStrictMode: true }, options);
    fake.resetLog();
    const env = { BUTTERCMS_SNAPSHOT: '.buttercms' };
    expect(await config('phase-production-server', { defaultConfig: {} })).toEqual({
      reactStrictMode: true,
      env,
    });
    expect(fake.log).toHaveLength(0);

    expect(await config('phase-production-build', { defaultConfig: {} })).toEqual({
      reactStrictMode: true,
      env,
    });
    expect(fake.log.length).toBeGreaterThan(0);
    expect(JSON.parse(process.env[DONE_ENV]!).out).toBe(join(root, '.buttercms'));

    fake.resetLog();
    const nested = withButter((phase) => ({ phase }), options);
    expect(await nested('phase-production-build', { defaultConfig: {} })).toEqual({
      phase: 'phase-production-build',
      env,
    });
    expect(fake.log).toHaveLength(0);

    const butter = await nextButter(join(root, '.buttercms'))();
    const { data } = await butter.page.retrieve('*', 'simple-page');
    expect(data.data.name).toBeTruthy();
  });

  it('syncs once when several processes evaluate next.config at the same time', async () => {
    // What one sync of this account costs, from scratch.
    const reference = await tmpDir('next-reference');
    fake.resetLog();
    await sync(optionsFor(fake, reference));
    // The requests themselves, so that a failure shows which ones came twice.
    const requests = () => fake.log.map((e) => `${e.status} ${e.path}?${e.query}`).sort();
    const oneSync = requests();

    const root = await tmpDir('next-parallel');
    await mkdir(join(root, 'node_modules'));
    const options = JSON.stringify(optionsFor(fake, root));
    fake.resetLog();
    const env = { ...process.env, [DONE_ENV]: '' };
    const outputs = await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, [SCRIPT, options], { env })),
    );
    for (const { stdout } of outputs) {
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({
        reactStrictMode: true,
      });
    }
    // The lock and the marker live in the project's cache folder, not beside the snapshot.
    expect((await readdir(root)).sort()).toEqual(['.buttercms', 'node_modules', 'public']);
    expect(await readdir(join(root, 'node_modules/.cache/unplugin-buttercms'))).toEqual([
      expect.stringMatching(/^[0-9a-f]{16}\.done$/),
    ]);
    expect(requests()).toEqual(oneSync);
  });

  it('serves media from public/ (hard links of the snapshot media, pruned with it), under basePath', async () => {
    const root = await tmpDir('next-media');
    const options = optionsFor(fake, root);
    await writeFile(join(root, 'public-own.txt'), '');
    const config = withButter({ basePath: '/docs' }, options);
    const built = (await config('phase-production-build', { defaultConfig: {} })) as unknown as {
      env: Record<string, string>;
    };
    expect(built.env.BUTTERCMS_SNAPSHOT).toBe('.buttercms');
    const media = await readdir(join(root, '.buttercms/media'));
    const served = await readdir(join(root, 'public/buttercms'));
    expect(served.length).toBeGreaterThan(0);
    expect(media).toEqual(expect.arrayContaining(served));
    // basePath: the content points at /docs/buttercms/, where Next serves public/buttercms/.
    const butter = await nextButter(join(root, '.buttercms'))();
    const { data } = await butter.post.retrieve('example-post');
    expect(data.data.featured_image).toMatch(/^\/docs\/buttercms\/[0-9a-f]{32}\.[a-z]+$/);
    // A file the snapshot no longer uses goes from public/ too; other files stay.
    const stale = join(root, 'public/buttercms/0123456789abcdef0123456789abcdef.png');
    await writeFile(stale, '');
    await writeFile(join(root, 'public/buttercms/robots.txt'), '');
    delete process.env[DONE_ENV];
    await config('phase-production-build', { defaultConfig: {} });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(root, 'public/buttercms/robots.txt'))).toBe(true);
  });

  it('nextButter sees a refreshed snapshot', async () => {
    const root = await tmpDir('next-reader');
    const options = optionsFor(fake, root);
    await sync(options);
    const get = nextButter(join(root, '.buttercms'));
    const before = (await (await get()).page.retrieve('*', 'simple-page')).data.data.name;
    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      page.name = `${before} (renamed)`;
      page.updated = new Date().toISOString();
    });
    await sync(options);
    const after = (await (await get()).page.retrieve('*', 'simple-page')).data.data.name;
    expect(after).toBe(`${before} (renamed)`);
  });

  it('keeps the snapshot fresh in next dev, and nextButter serves the refreshed content', async () => {
    const root = await tmpDir('next-dev');
    const options = optionsFor(fake, root, { watch: true, pollInterval: 1000 });
    await prepareForNext('phase-development-server', options);
    const get = nextButter(join(root, '.buttercms'));
    const name = async () => (await (await get()).page.retrieve('*', 'simple-page')).data.data.name;
    const before = await name();
    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      page.name = `${before} (next dev)`;
      page.updated = new Date().toISOString();
    });
    const end = Date.now() + 15_000;
    while ((await name()) !== `${before} (next dev)`) {
      if (Date.now() > end) throw new Error('the dev watcher did not refresh the snapshot');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
