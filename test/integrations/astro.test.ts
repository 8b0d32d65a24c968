/**
 * Astro: the integration adds the Vite plugin in astro:config:setup; the content-layer loader
 * fills a store from the snapshot with digests, follows changes, and its Zod schema (from the
 * same inference as the generated types) accepts the entries and rejects other shapes. One
 * snapshot preparation serves both. (astro itself is not installed: its APIs are stubbed.)
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buttercms, buttercmsLoader } from '../../src/astro.ts';
import { resolveSnapshotOptions } from '../../src/core/options.ts';
import { loaderSchema } from '../../src/integrations/astro/loader.ts';
import type { ZodLike } from '../../src/integrations/astro/schema.ts';
import { sharedPrepare } from '../../src/integrations/astro/shared.ts';
import { type FakeButter, optionsFor, startFakeButter, tmpDir } from './utils.ts';

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

function fakeContext() {
  const entries = new Map<string, { data: Record<string, unknown>; digest?: string | number }>();
  const listeners: ((event: string, path: string) => void)[] = [];
  const watched: string[] = [];
  const logs: string[] = [];
  // The parts of Astro's LoaderContext the loader uses.
  const context = {
    store: {
      set: (entry: { id: string; data: Record<string, unknown>; digest?: string | number }) => {
        const old = entries.get(entry.id);
        if (old && old.digest === entry.digest) return false;
        entries.set(entry.id, entry);
        return true;
      },
      keys: () => [...entries.keys()],
      delete: (id: string) => void entries.delete(id),
    },
    logger: {
      info: (m: string) => logs.push(m),
      warn: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    },
    parseData: async ({ data }: { data: Record<string, unknown> }) => data,
    generateDigest: (data: unknown) =>
      createHash('sha256').update(JSON.stringify(data)).digest('hex'),
    watcher: {
      add: (path: string) => void watched.push(path),
      on: (_event: string, listener: (event: string, path: string) => void) =>
        void listeners.push(listener),
    },
  } as unknown as LoaderContext;
  return { context, entries, listeners, watched, logs };
}

const zod = z as unknown as ZodLike;

describe('buttercmsLoader', () => {
  it('loads pages, items and posts with digests; the schema accepts them and rejects other shapes', async () => {
    const root = await tmpDir('astro-loader');
    const options = optionsFor(fake, root, { types: 'buttercms.d.ts' });

    const landing = fakeContext();
    await buttercmsLoader({ pageType: 'landing-page', options }).load(landing.context);
    expect([...landing.entries.keys()]).toEqual(['landing-page-with-components']);
    const page = landing.entries.get('landing-page-with-components')!;
    expect(page.data).toMatchObject({
      name: 'Landing Page with Components',
      page_type: 'landing-page',
    });
    expect(typeof page.digest).toBe('string');

    const features = fakeContext();
    await buttercmsLoader({ collection: 'feature', options }).load(features.context);
    expect([...features.entries.keys()].sort()).toEqual(['810001', '810002', '810003']);

    const posts = fakeContext();
    await buttercmsLoader({ posts: true, options }).load(posts.context);
    expect([...posts.entries.keys()]).toContain('example-post');

    const prepare = () =>
      sharedPrepare(resolveSnapshotOptions(options), { log: landing.context.logger });
    const pageSchema = (await loaderSchema(zod, { pageType: 'landing-page' }, prepare))
      .schema as z.ZodType;
    expect(pageSchema.safeParse(page.data).success).toBe(true);
    expect(
      pageSchema.safeParse({ ...page.data, fields: { ...(page.data.fields as object), body: 'x' } })
        .success,
    ).toBe(false);
    const itemSchema = (await loaderSchema(zod, { collection: 'feature' }, prepare))
      .schema as z.ZodType;
    for (const { data } of features.entries.values())
      expect(itemSchema.safeParse(data).success).toBe(true);
    expect(itemSchema.safeParse({ name: 42 }).success).toBe(false);
    const postSchema = (await loaderSchema(zod, { posts: true }, prepare)).schema as z.ZodType;
    for (const { data } of posts.entries.values())
      expect(postSchema.safeParse(data).success).toBe(true);
  });

  it('follows the snapshot in astro dev', async () => {
    const root = await tmpDir('astro-watch');
    const options = optionsFor(fake, root);
    const { context, entries, listeners, watched } = fakeContext();
    await buttercmsLoader({ singlePage: 'simple-page', options }).load(context);
    expect(watched).toEqual([join(root, '.buttercms/manifest.json')]);
    const before = entries.get('simple-page')!.digest;

    fake.updateAccount((a) => {
      const p = a.pages.find((x) => x.slug === 'simple-page')!;
      p.name = 'Simple Page (astro)';
      p.updated = new Date().toISOString();
    });
    const { sync } = await import('../../src/core/sync/index.ts');
    await sync(options);
    for (const listener of listeners) listener('change', watched[0]!);
    await new Promise((r) => setTimeout(r, 200));
    expect(entries.get('simple-page')!.data.name).toBe('Simple Page (astro)');
    expect(entries.get('simple-page')!.digest).not.toBe(before);
  });
});

describe('the Astro integration', () => {
  it('adds the Vite plugin in astro:config:setup and shares one sync with the loaders', async () => {
    const root = await tmpDir('astro-integration');
    const options = optionsFor(fake, root);
    const { root: _root, ...withoutRoot } = options;
    let plugins: unknown[] = [];
    fake.resetLog();
    type SetupParams = Parameters<
      NonNullable<ReturnType<typeof buttercms>['hooks']['astro:config:setup']>
    >[0];
    // The parts of the hook's parameters the integration uses.
    await buttercms(withoutRoot).hooks['astro:config:setup']!({
      config: { root: pathToFileURL(`${root}/`) },
      command: 'build',
      updateConfig: (config: { vite: { plugins: unknown[] } }) => {
        plugins = config.vite.plugins;
      },
    } as unknown as SetupParams);
    expect(plugins).toHaveLength(1);
    expect((plugins[0] as { name: string }).name).toBe('unplugin-buttercms');

    // A loader without options uses the integration's; then a build with the added plugin.
    const { context, entries } = fakeContext();
    await buttercmsLoader({ collection: 'feature' }).load(context);
    expect(entries.size).toBe(3);
    const requestsAfterLoader = fake.log.length;
    expect(requestsAfterLoader).toBeGreaterThan(0);
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: plugins as never,
      build: {
        outDir: join(root, 'dist'),
        lib: {
          entry: new URL('./fixtures/vite/main.js', import.meta.url).pathname,
          formats: ['es'],
          fileName: () => 'main.js',
        },
      },
    });
    expect(fake.log.length).toBe(requestsAfterLoader);
  });
});

describe('a real Astro build', () => {
  it('renders content collections and virtual:buttercms, with the media in the output', async () => {
    const { cp, readFile: read, writeFile } = await import('node:fs/promises');
    const root = await tmpDir('astro-build');
    await cp(new URL('./fixtures/astro/', import.meta.url).pathname, root, { recursive: true });
    const config = join(root, 'src/content.config.mjs');
    const astroEntry = new URL('../../src/astro.ts', import.meta.url).pathname;
    await writeFile(
      config,
      (await read(config, 'utf8')).replaceAll('__BUTTERCMS_ASTRO__', astroEntry),
    );
    const { build: astroBuild } = await import('astro');
    const options = optionsFor(fake, root);
    const { root: _root, ...withoutRoot } = options;
    await astroBuild({
      root,
      configFile: false,
      logLevel: 'error',
      outDir: join(root, 'dist'),
      integrations: [buttercms(withoutRoot) as never],
    });
    const html = await read(join(root, 'dist/index.html'), 'utf8');
    expect(html).toContain('Welcome to your ButterCMS Proof of Concept');
    expect(html).toContain('Fast anvils');
    expect(html).toContain('Example Post');
    expect(html).toContain('Simple Page');
    const image = html.match(/\/buttercms\/[0-9a-f]{32}\.[a-z0-9]+/)![0];
    expect(await listFilesOf(join(root, 'dist'))).toContain(image.slice(1));
    // getCollection is typed by the generated declarations (Astro ≥ 6 createSchema `types`).
    expect(await read(join(root, '.astro/loaders/landing.ts'), 'utf8')).toContain(
      'export type Entry = PageOf<"landing-page">;',
    );
  }, 120_000);
});

async function listFilesOf(dir: string): Promise<string[]> {
  const { listFiles } = await import('./utils.ts');
  return listFiles(dir);
}

describe('astro dev', () => {
  it('serves the content and follows a webhook-triggered refresh', async () => {
    const { cp, readFile: read, writeFile } = await import('node:fs/promises');
    const root = await tmpDir('astro-dev');
    await cp(new URL('./fixtures/astro/', import.meta.url).pathname, root, { recursive: true });
    const config = join(root, 'src/content.config.mjs');
    const astroEntry = new URL('../../src/astro.ts', import.meta.url).pathname;
    await writeFile(
      config,
      (await read(config, 'utf8')).replaceAll('__BUTTERCMS_ASTRO__', astroEntry),
    );
    const { dev } = await import('astro');
    const { root: _root, ...options } = optionsFor(fake, root, {
      watch: true,
      pollInterval: false,
      webhookSecret: 'astro-dev-secret',
    });
    const server = await dev({
      root,
      configFile: false,
      logLevel: 'error',
      server: { port: 0, host: '127.0.0.1' },
      integrations: [buttercms(options) as never],
    });
    try {
      const base = `http://127.0.0.1:${server.address.port}`;
      const page = async () => (await fetch(`${base}/`)).text();
      const first = await page();
      expect(first, first).toContain('Fast anvils');
      fake.updateAccount((a) => {
        a.collections.feature!.find((i) => i.id === 810001)!.fields.name = 'Faster anvils';
      });
      const hook = await fetch(`${base}/__buttercms/webhook?secret=astro-dev-secret`, {
        method: 'POST',
        body: JSON.stringify({ data: { id: 'feature' }, webhook: { event: 'collectionitem.all' } }),
      });
      expect(hook.status).toBe(202);
      const end = Date.now() + 20_000;
      let html = '';
      while (!html.includes('Faster anvils') && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 250));
        html = await page();
      }
      expect(html).toContain('Faster anvils');
    } finally {
      await server.stop();
    }
  }, 60_000);
});
