/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Astro playground (playground/astro) built with `astro build` against the fake server:
 * the landing page's components, the FAQ collection, the paginated blog and every post page
 * are in the output HTML, every image is a local file of the output; then, served on
 * 127.0.0.1, Chromium shows the content, loads every image from a local path and makes no
 * request outside localhost.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has } from '../requirements.ts';
import {
  ASTRO,
  buildAstroPlayground,
  chromiumAvailable,
  launchChromium,
  loadedImages,
  localOnly,
  recordRequests,
  serveStatic,
} from './playground.ts';
import { installPackage, runCli, SITES } from './sites.ts';
import { type FakeButter, listFiles, startFakeButter, tmpDir } from './utils.ts';

const POSTS = ['example-post', 'launch-notes', 'example-2'];
/** A synced file as it is, or as astro:assets optimised it (`/_astro/<name>.<hash>.webp`; SVGs as they are). */
const LOCAL_MEDIA = /^\/(buttercms\/[0-9a-f]{32}\.[a-z0-9]+|_astro\/[^/"]+\.(webp|svg))$/;
const OPTIMISED = /^\/_astro\/[0-9a-f]{32}\.[^/"]+\.webp$/;
const skipped = !has('astroSite');

let fake: FakeButter;
let outDir: string;
let files: string[];
let output: string;
beforeAll(async () => {
  if (skipped) return;
  fake = await startFakeButter();
  await installPackage('astro');
  const work = await tmpDir('playground-astro');
  const start = Date.now();
  ({ outDir, output } = await buildAstroPlayground(fake, work));
  files = await listFiles(outDir);
  const bytes = await Promise.all(files.map(async (f) => (await readFile(join(outDir, f))).length));
  console.log(
    `[astro playground] built in ${Date.now() - start} ms: ${files.length} files, ` +
      `${files.filter((f) => f.endsWith('.html')).length} pages, ` +
      `${bytes.reduce((a, b) => a + b, 0)} bytes`,
  );
}, 180_000);
afterAll(async () => {
  await fake?.close();
});

const html = (file: string) => readFile(join(outDir, file), 'utf8');
const imageSources = (text: string) =>
  [...text.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!);

describe.skipIf(skipped)('the Astro playground build (Astro 7)', () => {
  it('syncs without watching: no polling, no webhook URL in astro build', () => {
    expect(output).toContain('[buttercms]');
    expect(output).not.toMatch(/watching ButterCMS|webhook/);
  });

  it('passes astro check (typed astro.config.ts, typed entries) without a token: no sync, no watch', async () => {
    const checked = await runCli('astro', ASTRO, ['check'], {
      BUTTERCMS_API_URL: fake.apiUrl,
      BUTTERCMS_API_TOKEN: '',
    });
    expect(checked).toMatch(/0 errors/);
    expect(checked).toContain('no ButterCMS API token');
    expect(checked).not.toMatch(/unreachable|watching ButterCMS|webhook/);
  }, 180_000);

  it('optimises synced images with astro:assets, at the size read at sync time', async () => {
    const landing = await html('index.html');
    const optimised = imageSources(landing).filter((src) => OPTIMISED.test(src));
    expect(optimised.length).toBeGreaterThanOrEqual(2);
    const sizes = Object.values(
      JSON.parse(await readFile(join(SITES.astro.dir, '.buttercms/media.json'), 'utf8')),
    ) as { width: number; height: number }[];
    for (const [, w, h] of landing.matchAll(
      /<img\b[^>]*src="\/_astro\/[^"]+"[^>]*width="(\d+)"[^>]*height="(\d+)"/g,
    ))
      expect(sizes).toContainEqual(expect.objectContaining({ width: +w!, height: +h! }));
  });

  it('renders the landing page components, the collection, the paginated blog and the posts', async () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'faq/index.html',
        'blog/index.html',
        'blog/page/2/index.html',
        ...POSTS.map((slug) => `blog/${slug}/index.html`),
      ]),
    );
    expect(files).not.toContain('blog/page/3/index.html');

    const landing = await html('index.html');
    // hero, two columns with image, features, testimonials
    expect(landing).toContain('<h1>Welcome to your ButterCMS Proof of Concept</h1>');
    expect(landing).toContain('ButterCMS is your content backend');
    expect(landing).toContain('Components on this page');
    expect(landing.match(/<blockquote>/g)).toHaveLength(3);
    expect(landing).toContain('Kim Kohatsu');
    // The header's menu comes from the navigation_menu collection.
    expect(landing).toMatch(/<a href="\/#testimonials"[^>]*>Testimonials<\/a>/);

    const faq = await html('faq/index.html');
    expect(faq).toContain('Can I Add Custom Fields to Blog Posts?');
    expect(faq).toContain('Does Butter Provide Themes and Templates?');

    const first = await html('blog/index.html');
    const second = await html('blog/page/2/index.html');
    const linked = (text: string) =>
      [...text.matchAll(/<h2[^>]*>\s*<a href="\/blog\/([^/"]+)\/"/g)].map((m) => m[1]!);
    expect(linked(first)).toEqual(['example-post', 'launch-notes']);
    expect(linked(second)).toEqual(['example-2']);
    expect(first).toMatch(/rel="next" href="\/blog\/page\/2\/"/);
    expect(second).toMatch(/rel="prev" href="\/blog\/"/);

    const post = await html('blog/example-post/index.html');
    expect(post).toContain('<h1>Example Post</h1>');
    expect(post).toMatch(/<div class="body"[^>]*>\s*<p>/);
    // Its YouTube embed is a link, not an iframe loading from elsewhere.
    expect(post).toContain('<a class="embed" href="https://www.youtube.com/embed/');
    expect(post).not.toContain('<iframe');
    for (const slug of POSTS) expect(await html(`blog/${slug}/index.html`)).toContain('by ');
  });

  it('points every image at a local file of the output', async () => {
    let count = 0;
    for (const file of files.filter((f) => f.endsWith('.html'))) {
      for (const src of imageSources(await html(file))) {
        expect(src, file).toMatch(LOCAL_MEDIA);
        expect(files, `${file}: ${src}`).toContain(src.slice(1));
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
    // No page links a remote asset (scripts, styles, images).
    for (const file of files.filter((f) => f.endsWith('.html'))) {
      expect(await html(file), file).not.toMatch(/\b(src|srcset)="https?:/);
    }
  });
});

describe.skipIf(skipped || !chromiumAvailable)('the Astro playground in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await serveStatic(outDir);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the content, loads every image locally and talks to localhost only', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page);
    const url = (path: string) => new URL(path, server.url).href;
    const checkImages = async (min: number) => {
      const images = await loadedImages(page);
      expect(images.length).toBeGreaterThanOrEqual(min);
      for (const img of images) {
        expect(img.src).toMatch(LOCAL_MEDIA);
        expect(img.width, img.src).toBeGreaterThan(0);
      }
    };

    await page.goto(url('/'));
    expect(await page.locator('h1').textContent()).toBe(
      'Welcome to your ButterCMS Proof of Concept',
    );
    expect(await page.locator('blockquote').count()).toBe(3);
    expect(await page.locator('.feature h3').first().isVisible()).toBe(true);
    await page.locator('img').last().scrollIntoViewIfNeeded();
    await checkImages(4);

    await page.click('nav#menu a[href="/faq/"]');
    await page.waitForURL(/\/faq\/$/);
    expect(await page.locator('summary').first().isVisible()).toBe(true);

    await page.goto(url('/blog/'));
    const first = await page.locator('article h2').allTextContents();
    expect(first).toHaveLength(2);
    await page.click('a[rel="next"]');
    await page.waitForURL(/\/blog\/page\/2\/$/);
    const second = await page.locator('article h2').allTextContents();
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((t) => first.includes(t))).toBe(false);
    await checkImages(1);

    await page.click('article h2 a');
    await page.waitForURL(/\/blog\/[^/]+\/$/);
    expect((await page.locator('article h1').textContent())?.trim()).toBe(second[0]!.trim());
    expect(await page.locator('.body').isVisible()).toBe(true);
    await checkImages(1);

    for (const slug of POSTS) {
      await page.goto(url(`/blog/${slug}/`));
      expect(await page.locator('article h1').isVisible()).toBe(true);
      for (const img of await page.locator('img').all()) await img.scrollIntoViewIfNeeded();
      await checkImages(0);
    }
    expect(await page.locator('.body a.embed').count()).toBe(0);
    await page.goto(url('/blog/example-post/'));
    expect(await page.locator('.body a.embed').count()).toBe(1);

    expect(requests.length).toBeGreaterThan(10);
    expect(localOnly(requests)).toEqual([]);
    await page.close();
  }, 60_000);
});
