/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The playground in a real browser (Debian's Chromium driven by playwright-core): the built
 * site shows its content, every image loads from a local path and no request leaves
 * localhost; in `vite dev`, a content change on the fake server reaches the open page.
 */
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAccount } from '../../fixtures/account/types.ts';
import {
  chromiumAvailable as available,
  buildPlayground,
  devPlayground,
  loadedImages as images,
  launchChromium,
  localOnly,
  previewPlayground,
  recordRequests,
} from './playground.ts';
import { type FakeButter, startFakeButter, tmpDir } from './utils.ts';

let fake: FakeButter;
let browser: Browser;
beforeAll(async () => {
  if (!available) return;
  fake = await startFakeButter();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('main[aria-busy="false"]');
}

describe.skipIf(!available)('playground in Chromium', () => {
  let server: PreviewServer;
  let base: string;

  beforeAll(async () => {
    const work = await tmpDir('playground-e2e');
    const outDir = await buildPlayground(fake, work);
    server = await previewPlayground(outDir);
    base = server.resolvedUrls!.local[0]!;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('shows the content, loads every image locally and talks to localhost only', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page);
    const js: { url: string; bytes: number }[] = [];
    const onResponse = async (response: import('playwright-core').Response) => {
      if (!response.url().endsWith('.js') || response.status() !== 200) return;
      js.push({ url: response.url(), bytes: (await response.body().catch(() => '')).length });
    };
    page.on('response', onResponse);

    await page.goto(base);
    await ready(page);
    expect(await page.locator('h1').textContent()).toBe(
      'Welcome to your ButterCMS Proof of Concept',
    );
    expect(await page.locator('blockquote').count()).toBe(3);
    const landingImages = await images(page);
    expect(landingImages.length).toBeGreaterThan(3);
    for (const img of landingImages) {
      expect(img.src).toMatch(/^\/buttercms\/[0-9a-f]{32}\.[a-z0-9]+$/);
      expect(img.width).toBeGreaterThan(0);
    }
    // The landing page loaded its own entity, not the blog's or the FAQ's.
    const landingJs = js.map((r) => r.url);
    expect(landingJs.some((u) => /landing-page-with-components-/.test(u))).toBe(true);
    expect(landingJs.some((u) => /example-post-|launch-notes-|143273-/.test(u))).toBe(false);
    page.off('response', onResponse);
    console.log(
      `[playground landing page] ${js.length} scripts, ${js.reduce((n, r) => n + r.bytes, 0)} bytes`,
    );

    await page.goto(new URL('/faq', base).href);
    await ready(page);
    expect(await page.locator('summary').first().isVisible()).toBe(true);
    expect(await page.locator('summary').allTextContents()).toContain(
      'Can I Add Custom Fields to Blog Posts?',
    );

    await page.goto(new URL('/blog', base).href);
    await ready(page);
    const first = await page.locator('article h2').allTextContents();
    expect(first).toHaveLength(2);
    await page.click('a[rel="next"]');
    await ready(page);
    await page.waitForURL(/page=2/);
    const second = await page.locator('article h2').allTextContents();
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((t) => first.includes(t))).toBe(false);

    await page.click('article h2 a');
    await ready(page);
    await page.waitForURL(/\/blog\/[^/?]+$/);
    expect(await page.locator('article h1').textContent()).toBe(second[0]);
    for (const img of await images(page)) expect(img.width).toBeGreaterThan(0);

    // A post with a YouTube embed: shown as a link, nothing loaded from YouTube.
    await page.goto(new URL('/blog/example-post', base).href);
    await ready(page);
    expect(await page.locator('.body a.embed').count()).toBe(1);
    for (const img of await page.locator('img').all()) await img.scrollIntoViewIfNeeded();
    for (const img of await images(page)) expect(img.width).toBeGreaterThan(0);

    expect(localOnly(requests)).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!available)('playground dev server in Chromium', () => {
  let server: ViteDevServer;

  afterAll(async () => {
    await server?.close();
  });

  it('updates the open page when content changes on ButterCMS', async () => {
    const work = await tmpDir('playground-dev');
    server = await devPlayground(fake, work);
    const page = await browser.newPage();
    const requests = recordRequests(page);
    await page.goto(server.resolvedUrls!.local[0]!);
    await ready(page);
    expect(await page.locator('main').textContent()).toContain(
      'Welcome to your ButterCMS Proof of Concept',
    );

    fake.updateAccount((account: FakeAccount) => {
      const landing = account.pages.find((p) => p.slug === 'landing-page-with-components')!;
      const hero = (landing.fields.body as { fields: Record<string, unknown> }[])[0]!;
      hero.fields.headline = 'Edited in ButterCMS, seen live';
      landing.updated = new Date().toISOString();
    });
    await page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Edited in ButterCMS, seen live',
      undefined,
      { timeout: 20_000 },
    );
    expect(localOnly(requests)).toEqual([]);
    await page.close();
  }, 60_000);
});
