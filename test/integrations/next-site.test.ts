/// <reference lib="dom" />
/**
 * The Next.js playground (playground/next: an App Router site, Next 16, with unplugin-buttercms
 * installed as a package) against the fake ButterCMS, through Next's own CLI:
 *
 * - `next build` with Turbopack and with `--webpack`: one sync per build, every post of the
 *   `[slug]` route prerendered from `generateStaticParams`, `next/image` on synced media with the
 *   size read at sync time, and (webpack) no part of the sync or the codegen in the pages' server
 *   bundles; `next start` serves the content, the media files and the optimised images.
 * - `next dev` (Turbopack and webpack): an edit in ButterCMS reaches the open tab by itself
 *   (a page reading through `nextButter()`), and a page holding a `createLocalButter` made at
 *   module level serves it too.
 *
 * One site, built once per bundler, all in this file (the builds share the site's folder).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAccount } from '../../fixtures/account/types.ts';
import { has } from '../requirements.ts';
import { chromiumAvailable, launchChromium, localOnly, recordRequests } from './playground.ts';
import { freePort, installPackage, runCli, SITES, startCli } from './sites.ts';
import { type FakeButter, startFakeButter } from './utils.ts';

const SITE = SITES.next.dir;
const NEXT = 'next/dist/bin/next';
const POSTS = ['example-post', 'launch-notes', 'example-2'];
const skipped = !has('nextSite');

let fake: FakeButter;
let env: Record<string, string>;
beforeAll(async () => {
  if (skipped) return;
  fake = await startFakeButter();
  env = { BUTTERCMS_API_URL: fake.apiUrl, BUTTERCMS_API_TOKEN: fake.token };
  await installPackage('next');
  // A fresh site: no snapshot, no media, no earlier build.
  for (const dir of ['.buttercms', 'public/buttercms', '.next', '.next-webpack', 'buttercms.d.ts'])
    await rm(join(SITE, dir), { recursive: true, force: true });
}, 120_000);
afterAll(async () => {
  await fake?.close();
});

/** The site's `media.json`: image file → size, as the sync read it. */
async function mediaSizes(): Promise<Record<string, { width: number; height: number }>> {
  return JSON.parse(await readFile(join(SITE, '.buttercms/media.json'), 'utf8'));
}

/** `<img>` tags of an HTML page: the image file `next/image` optimises, and the size it got. */
function images(html: string) {
  return [...html.matchAll(/<img\b[^>]*>/g)].map(([tag]) => ({
    file: /url=%2Fbuttercms%2F([0-9a-f]{32}\.[a-z0-9]+)/.exec(tag)?.[1],
    src: /\bsrc="([^"]+)"/.exec(tag)![1]!.replaceAll('&amp;', '&'),
    width: Number(/\bwidth="(\d+)"/.exec(tag)?.[1]),
    height: Number(/\bheight="(\d+)"/.exec(tag)?.[1]),
  }));
}

/** `next start` on a build: the pages, the media files and the optimised images. */
async function checkServed(distDir: string): Promise<void> {
  const port = await freePort();
  const server = startCli('next', NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    ...env,
    PLAYGROUND_DIST_DIR: distDir,
  });
  try {
    await server.waitFor(/Ready in/);
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const response = await fetch(base + path, { headers: { accept: 'image/webp,*/*' } });
      expect(response.status, path).toBe(200);
      return response;
    };
    const home = await (await get('/')).text();
    expect(home).toContain('Welcome to your ButterCMS Proof of Concept');
    expect((await (await get('/faq')).text()).match(/<summary>/g)?.length).toBeGreaterThan(1);
    for (const slug of POSTS) expect(await (await get(`/blog/${slug}`)).text()).toContain('<h1>');

    const sizes = await mediaSizes();
    const shown = images(home);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const image of shown) {
      // next/image got the file's own size, and optimises the local file.
      expect(image.file, image.src).toBeDefined();
      expect({ width: image.width, height: image.height }).toEqual({
        width: sizes[image.file!]!.width,
        height: sizes[image.file!]!.height,
      });
      const optimised = await get(image.src);
      expect(optimised.headers.get('content-type')).toMatch(/^image\//);
      const original = await get(`/buttercms/${image.file}`);
      expect(original.headers.get('content-type')).toMatch(/^image\//);
    }
  } finally {
    await server.stop();
  }
}

/** Text of every file under `dir`. */
async function textsUnder(dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(js|html|json|rsc|txt)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    texts.set(file, await readFile(file, 'utf8'));
  }
  return texts;
}

describe.skipIf(skipped)('the Next.js playground', () => {
  it('builds with Turbopack: synced once, every post prerendered, media served and optimised', async () => {
    const output = await runCli('next', NEXT, ['build'], { ...env, PLAYGROUND_DIST_DIR: '.next' });
    expect(output).toContain('(Turbopack)');
    expect(output.match(/\[buttercms\] synced/g)).toHaveLength(1);
    for (const slug of POSTS) expect(output).toContain(`/blog/${slug}`);
    // Nothing of ours lands in the project root but the snapshot, its types and public media.
    const root = await readdir(SITE);
    expect(root.filter((name) => name.includes('buttercms'))).toEqual([
      '.buttercms',
      'buttercms.d.ts',
    ]);
    for (const [file, text] of await textsUnder(join(SITE, '.next')))
      expect(text.includes(fake.token), file).toBe(false);
    await checkServed('.next');
  }, 240_000);

  it('builds with webpack: the pages bundle the reader, never the sync or the codegen', async () => {
    const output = await runCli('next', NEXT, ['build', '--webpack'], {
      ...env,
      PLAYGROUND_DIST_DIR: '.next-webpack',
    });
    expect(output).not.toContain('(Turbopack)');
    const server = await textsUnder(join(SITE, '.next-webpack/server'));
    const all = [...server.values()].join('\n');
    // The reader is there …
    expect(all).toContain('is not available from the local snapshot');
    // … and nothing from the sync (its summary), the codegen (the declarations' stamp), the
    // watcher (its announcement) or their libraries.
    for (const marker of [
      'unchanged, nothing written',
      '// buttercms-types',
      'webhook: POST',
      'json-schema-to-typescript',
      'ts-morph',
      'chokidar',
    ])
      expect(all.includes(marker), marker).toBe(false);
    await checkServed('.next-webpack');
  }, 300_000);
});

describe.skipIf(skipped || !chromiumAvailable)('the Next.js playground in next dev', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['Turbopack', [], '.next'],
    ['webpack', ['--webpack'], '.next-webpack'],
  ])(
    'with %s, shows an edit made in ButterCMS in the open tab; a module-level createLocalButter serves it too',
    async (_bundler, flags, distDir) => {
      const port = await freePort();
      const args = ['dev', ...flags, '-p', String(port), '-H', '127.0.0.1'];
      const dev = startCli('next', NEXT, args, {
        ...env,
        PLAYGROUND_DIST_DIR: distDir,
        PLAYGROUND_POLL: '1s',
        CI: '', // watch mode is off in CI by default
      });
      try {
        await dev.waitFor(/Ready in/);
        const home = await browser.newPage();
        const requests = recordRequests(home);
        // next dev compiles the page on its first request: minutes on a loaded 2-core machine.
        await home.goto(`http://127.0.0.1:${port}/`, { timeout: 150_000 });
        expect(await home.locator('h1').textContent()).toMatch(/^(Welcome|Edited) /);
        const faqHtml = async () => (await fetch(`http://127.0.0.1:${port}/faq`)).text();
        const question = /<summary>([^<]*)<\/summary>/.exec(await faqHtml())![1]!;
        await dev.waitFor(/watching ButterCMS/);

        fake.updateAccount((account: FakeAccount) => {
          const now = new Date().toISOString();
          const landing = account.pages.find((p) => p.slug === 'landing-page-with-components')!;
          const hero = (landing.fields.body as { fields: Record<string, unknown> }[])[0]!;
          hero.fields.headline = `Edited in ButterCMS, seen in next dev ${flags.join('')}`;
          landing.updated = now;
          const item = account.collections.faq![0]!;
          item.fields.question = `${question} (edited ${flags.join('')})`;
        });
        // The tab is not reloaded by the test: Next refreshes it.
        await home
          .waitForFunction(
            (text) => document.querySelector('h1')?.textContent === text,
            `Edited in ButterCMS, seen in next dev ${flags.join('')}`,
            { timeout: 90_000 },
          )
          .catch((error: Error) => {
            throw new Error(`${error.message}\nnext dev said:\n${dev.output()}`);
          });
        // The FAQ page holds a createLocalButter made at module level: Next evaluated it again.
        expect(await faqHtml()).toContain(`${question} (edited ${flags.join('')})`);
        expect(localOnly(requests)).toEqual([]);
      } finally {
        await dev.stop();
      }
    },
    400_000,
  );
});
