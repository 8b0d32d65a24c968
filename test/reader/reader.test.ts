import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { escapeName, paths, writeSnapshot } from '../../src/core/snapshot/index.ts';
import { chunkFile, chunkOf } from '../../src/core/snapshot/names.ts';
import { profileFile } from '../../src/core/sync/profile.ts';
import { createLocalButter } from '../../src/index.ts';
import { content, expectedDetail, facts, posts } from './fixture.ts';

// biome-ignore lint/suspicious/noExplicitAny: walking loose JSON in assertions
type Loose = any;

// Every file read goes through as usual; the laziness test looks at which ones were read.
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return { ...fs, readFile: vi.fn(fs.readFile) };
});

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'butter-reader-'));
  dir = join(root, '.buttercms');
  await writeSnapshot(dir, content(), facts);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const pages = () => content().locales[0]!.pageTypes['landing-page']!;

describe('page.retrieve', () => {
  it('resolves like the SDK', async () => {
    const butter = createLocalButter(dir);
    const res = await butter.page.retrieve('landing-page', 'beta', {
      levels: 1,
      alt_media_text: 1,
    });
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('OK');
    expect(res.data).toEqual({ data: pages()[1] });
    expect(res.config.url).toBe(
      'https://api.buttercms.com/v2/pages/landing-page/beta/?levels=1&alt_media_text=1',
    );
  });

  it('rebuilds levels 1, 2, 3, cutting at the stored URI', async () => {
    const butter = createLocalButter(dir);
    const one = (await butter.page.retrieve('landing-page', 'alpha', { levels: 1 })).data.data;
    expect(one.fields.related).toEqual(['/v2/pages/landing-page/beta/']);
    expect(one.fields.brand).toBe('/v2/content/?keys=brands[_id=10]');
    const two = (await butter.page.retrieve('landing-page', 'alpha', { levels: 2 })).data.data;
    const related = (two.fields.related as Record<string, unknown>[])[0]!;
    // Embedded page keys learned from the probe (a full page here).
    expect(Object.keys(related)).toEqual([
      'slug',
      'name',
      'published',
      'updated',
      'page_type',
      'fields',
    ]);
    expect((related.fields as Record<string, unknown>).related).toEqual([
      '/v2/pages/landing-page/gamma',
    ]);
    expect(two.fields.brand).toEqual({
      meta: { id: 10 },
      name: 'Acme',
      logo: 'https://cdn.buttercms.com/l',
      home: '/v2/pages/*/home/',
    });
    expect(two.fields.empty).toEqual({});
    const three = (await butter.page.retrieve('landing-page', 'alpha', { levels: 3 })).data.data;
    const gamma = ((three.fields.related as Loose)[0].fields.related as Loose)[0];
    expect(gamma.slug).toBe('gamma');
    expect(gamma.fields.related).toEqual(['/v2/pages/landing-page/alpha/']);
    expect((three.fields.brand as Loose).home.slug).toBe('home');
    // Default levels is 2, like the API.
    expect((await butter.page.retrieve('landing-page', 'alpha')).data).toEqual({ data: two });
  });

  it('turns media objects into URLs unless alt_media_text=1', async () => {
    const butter = createLocalButter(dir);
    const plain = (await butter.page.retrieve('landing-page', 'alpha', { levels: 1 })).data.data;
    expect(plain.fields.hero).toBe('https://cdn.buttercms.com/a');
    expect(plain.fields.plain).toBe('https://cdn.buttercms.com/p');
    // Shaped like media, but the media probe saw the API keep them as objects.
    expect(plain.fields.links).toEqual([
      { url: 'https://example.com/docs' },
      { url: 'https://example.com/api', alt: 'API' },
    ]);
    const alt = (
      await butter.page.retrieve('landing-page', 'alpha', { levels: 1, alt_media_text: 1 })
    ).data.data;
    expect(alt.fields.hero).toEqual({ url: 'https://cdn.buttercms.com/a', alt: 'A' });
    expect(alt.fields.plain).toEqual({ url: 'https://cdn.buttercms.com/p' });
  });

  it('reads locales and single pages', async () => {
    const butter = createLocalButter(dir);
    const fr = await butter.page.retrieve('*', 'home', { locale: 'fr', levels: 1 });
    expect(fr.data.data.fields.headline).toBe('Accueil');
    const en = await butter.page.retrieve('*', 'home', { levels: 2 });
    expect((en.data.data.fields.feature as Loose).fields.title).toBe('Alpha');
    // `*` finds typed pages too.
    expect((await butter.page.retrieve('*', 'beta', { levels: 1 })).data.data.slug).toBe('beta');
  });

  it('rejects like the API: 404, 400, and levels deeper than synced', async () => {
    const butter = createLocalButter(dir);
    const missing = await butter.page.retrieve('landing-page', 'nope').catch((e) => e);
    expect(missing).toBeInstanceOf(Error);
    expect(missing.message).toContain('[detail]: Page not found. (404)');
    expect(missing.hint).toBe(
      'No page of page type landing-page has the slug nope in locale en: check the slug, or sync again if the page was published since.',
    );
    const anyType = await butter.page.retrieve('*', 'nope', { locale: 'fr' }).catch((e) => e);
    expect(anyType.hint).toMatch(
      /^No single page or page of any page type has the slug nope in locale fr:/,
    );
    const noTypeSlug = await butter.page.retrieve('nope', 'alpha').catch((e) => e);
    expect(noTypeSlug.cause.data).toEqual({ detail: 'Page not found.' });
    expect(noTypeSlug.hint).toMatch(
      /^Page type nope is not in the snapshot; add it to `pageTypes`/,
    );
    const post = await butter.post.retrieve('nope').catch((e) => e);
    expect(post.cause.status).toBe(404);
    expect(post.hint).toMatch(/^No post has the slug nope: check the slug/);
    expect(missing.cause).toMatchObject({
      status: 404,
      data: { detail: 'Page not found.' },
      type: 'page',
    });
    const noType = await butter.page.list('nope').catch((e) => e);
    expect(noType.cause.status).toBe(404);
    const locale = await butter.page
      .retrieve('landing-page', 'alpha', { locale: 'de' })
      .catch((e) => e);
    expect(locale.cause.status).toBe(400);
    expect(locale.code).toBe('BAD_REQUEST');
    const deep = await butter.page.retrieve('landing-page', 'alpha', { levels: 4 }).catch((e) => e);
    expect(deep.code).toBe('SNAPSHOT');
    expect(deep.message).toMatch(/levels=4.*levels=3/);
    expect(deep.message).toMatch(/Sync with `levels: 4`/);
    const bad = await butter.page.retrieve('landing-page', 'alpha', { levels: 9 }).catch((e) => e);
    expect(bad.cause.status).toBe(400);
  });
});

describe('page.list', () => {
  it('uses the learned default page size and meta key order', async () => {
    const butter = createLocalButter(dir);
    const res = await butter.page.list('landing-page', { levels: 1, alt_media_text: 1 });
    expect(res.data.meta).toEqual({ next_page: 2, previous_page: null, count: 3 });
    expect(Object.keys(res.data.meta)).toEqual(['next_page', 'previous_page', 'count']);
    expect(res.data.data).toEqual(pages().slice(0, 2));
  });

  it('paginates in both styles', async () => {
    const butter = createLocalButter(dir);
    const p2 = await butter.page.list('landing-page', { levels: 1, page: 2, page_size: 2 });
    expect(p2.data.meta).toEqual({ next_page: null, previous_page: 1, count: 3 });
    expect(p2.data.data.map((p) => p.slug)).toEqual(['gamma']);
    const off = await butter.page.list('landing-page', { levels: 1, limit: 1, offset: 1 });
    expect(off.data.meta).toEqual({ count: 3, next_offset: 2, previous_offset: 0 });
    expect(off.data.data.map((p) => p.slug)).toEqual(['beta']);
    const beyond = await butter.page
      .list('landing-page', { levels: 1, page: 5, page_size: 2 })
      .catch((e) => e);
    expect(beyond.cause.status).toBe(404);
  });

  it('filters on fields (also nested and through references) and orders', async () => {
    const butter = createLocalButter(dir);
    const slugs = async (params: Record<string, string | number>) =>
      (
        await butter.page.list('landing-page', { levels: 1, page_size: 10, ...params })
      ).data.data.map((p) => p.slug);
    expect(await slugs({ 'fields.title': 'Beta' })).toEqual(['beta']);
    expect(await slugs({ 'fields.seo.title': 'SEO gamma' })).toEqual(['gamma']);
    expect(await slugs({ 'fields.related.title': 'Gamma' })).toEqual(['beta']);
    expect(await slugs({ 'fields.rank': 2 })).toEqual(['gamma']);
    expect(await slugs({ order: 'rank' })).toEqual(['beta', 'gamma', 'alpha']);
    expect(await slugs({ order: '-rank' })).toEqual(['alpha', 'gamma', 'beta']);
    expect(await slugs({ order: 'published' })).toEqual(['beta', 'gamma', 'alpha']);
    expect(await slugs({ order: '-title', locale: 'fr' })).toEqual(['gamma', 'beta', 'alpha']);
  });
});

describe('content.retrieve', () => {
  it('answers one key with meta and every item', async () => {
    const butter = createLocalButter(dir);
    const res = await butter.content.retrieve(['faq'], { levels: 1 });
    expect(res.data).toEqual({
      meta: { count: 3, next_page: null, previous_page: null },
      data: { faq: content().locales[0]!.collections.faq },
    });
  });

  it('filters, orders, paginates and expands', async () => {
    const butter = createLocalButter(dir);
    const ordered = await butter.content.retrieve(['faq'], {
      levels: 1,
      order: '-order',
      page: 1,
      page_size: 2,
    });
    expect(ordered.data.data.faq.map((i) => i.meta.id)).toEqual([3, 1]);
    expect(ordered.data.meta).toEqual({ count: 3, next_page: 2, previous_page: null });
    const filtered = await butter.content.retrieve(['faq'], { 'fields.question': 'How?' });
    expect(filtered.data.data.faq.map((i) => i.meta.id)).toEqual([2]);
    const brands = await butter.content.retrieve(['brands'], { levels: 2 });
    expect((brands.data.data.brands[0]!.home as Loose).slug).toBe('home');
    expect(brands.data.data.brands[0]!.logo).toBe('https://cdn.buttercms.com/l');
    // Several keys: as the API answers `?keys=a,b` — no meta, every item, pagination ignored.
    const both = await butter.content.retrieve(['faq', 'brands'], { levels: 1 });
    expect(Object.keys(both.data.data)).toEqual(['faq', 'brands']);
    expect(both.data).not.toHaveProperty('meta');
    const paged = await butter.content.retrieve(['faq', 'brands'], {
      levels: 1,
      page: 1,
      page_size: 2,
    });
    expect(paged.data).not.toHaveProperty('meta');
    expect(paged.data.data.faq.map((i) => i.meta.id)).toEqual([1, 2, 3]);
  });

  it('rejects unknown keys (404) and unknown filter fields (403)', async () => {
    const butter = createLocalButter(dir);
    expect((await butter.content.retrieve(['nope']).catch((e) => e)).cause.status).toBe(404);
    expect(
      (await butter.content.retrieve(['faq'], { 'fields.nope': 'x' }).catch((e) => e)).cause.status,
    ).toBe(403);
  });
});

describe('posts', () => {
  it('lists 10 per page by default, with filters and exclude_body', async () => {
    const butter = createLocalButter(dir);
    const all = await butter.post.list();
    expect(all.data).toEqual({
      meta: { next_page: null, previous_page: null, count: 3 },
      data: posts,
    });
    const ann = await butter.post.list({ author_slug: 'ann', exclude_body: true });
    expect(ann.data.data.map((p) => p.slug)).toEqual(['third', 'first']);
    expect(ann.data.data.every((p) => !('body' in p))).toBe(true);
    expect(
      (await butter.post.list({ category_slug: 'tips' })).data.data.map((p) => p.slug),
    ).toEqual(['second']);
    expect((await butter.post.list({ tag_slug: 't2' })).data.data.map((p) => p.slug)).toEqual([
      'first',
    ]);
    const page = await butter.post.list({ page: 2, page_size: 2 });
    expect(page.data.meta).toEqual({ next_page: null, previous_page: 1, count: 3 });
    const off = await butter.post.list({ limit: 2, offset: 0 });
    expect(off.data.meta).toEqual({ count: 3, next_offset: 2, previous_offset: null });
  });

  it('serves the detail in the shape learned from the probe, with neighbours', async () => {
    const butter = createLocalButter(dir);
    const third = await butter.post.retrieve('third');
    expect(third.data.data).toEqual(expectedDetail(posts[0]!));
    expect(Object.keys(third.data.data)).toEqual(Object.keys(expectedDetail(posts[0]!)));
    expect(Object.keys(third.data.data.author)).toEqual([
      'first_name',
      'last_name',
      'email',
      'slug',
      'bio',
    ]);
    expect(third.data.meta).toEqual({
      next_post: null,
      previous_post: { slug: 'second', title: 'SECOND', featured_image: null },
    });
    const first = await butter.post.retrieve('first');
    expect(first.data.meta.next_post?.slug).toBe('second');
    expect(first.data.meta.previous_post).toBeNull();
    expect((await butter.post.retrieve('nope').catch((e) => e)).cause.status).toBe(404);
  });

  it('serves authors, categories and tags with recent posts', async () => {
    const butter = createLocalButter(dir);
    expect((await butter.author.list()).data.data.map((a) => a.slug)).toEqual(['ann', 'bob']);
    const ann = await butter.author.retrieve('ann', { include: 'recent_posts' });
    expect(ann.data.data.recent_posts).toEqual([
      expectedDetail(posts[0]!),
      expectedDetail(posts[2]!),
    ]);
    const cats = await butter.category.list({ include: 'recent_posts' });
    expect(cats.data.data.map((c) => c.recent_posts?.map((p) => p.slug))).toEqual([
      ['third', 'second'],
      ['second'],
    ]);
    expect((await butter.tag.retrieve('t2')).data).toEqual({ data: { name: 'T2', slug: 't2' } });
    expect((await butter.tag.retrieve('zz').catch((e) => e)).cause.status).toBe(404);
  });
});

it('rejects search and feeds clearly (server-side features)', async () => {
  const butter = createLocalButter(dir);
  await expect(butter.post.search('x')).rejects.toMatchObject({ code: 'SNAPSHOT' });
  await expect(butter.page.search('x')).rejects.toThrow(/page.search is not available/);
  await expect(butter.feed.retrieve('rss')).rejects.toMatchObject({ code: 'SNAPSHOT' });
});

describe('laziness', () => {
  it('reads only what a call needs: the one chunk file holding the entity', async () => {
    const lazy = join(root, 'lazy');
    // Enough English landing pages for their folder to span several chunk files.
    const big = content();
    const landing = big.locales[0]!.pageTypes['landing-page']!;
    for (let i = 0; i < 300; i++) landing.push({ ...landing[1]!, slug: `filler-${i}` });
    // As a sync writes it: with the profile, so the reader never needs the probe answers.
    const { manifest } = await writeSnapshot(lazy, big, facts, { extraFiles: profileFile(big) });
    const folder = paths.pageFolder('en', 'landing-page');
    const count = manifest.chunks[folder]!.length;
    expect(count).toBeGreaterThan(1);
    const chunkOfSlug = (slug: string) => chunkFile(folder, chunkOf(escapeName(slug), count));
    const fillers = landing.map((p) => p.slug as string).filter((s) => s.startsWith('filler-'));
    const near = fillers.find((s) => chunkOfSlug(s) === chunkOfSlug('beta'))!;
    const far = fillers.find((s) => chunkOfSlug(s) !== chunkOfSlug('beta'))!;

    const read = vi.mocked(readFile);
    const readSince = (from: number) =>
      read.mock.calls
        .slice(from)
        .map(([file]) => relative(lazy, String(file)))
        .filter((file) => !file.startsWith('..'));
    const start = read.mock.calls.length;
    const butter = createLocalButter(lazy);
    const res = await butter.page.retrieve('landing-page', 'beta', { levels: 1 });
    expect(res.data.data.slug).toBe('beta');
    // The manifest, the profile (which objects are media), the locale's index and one chunk
    // file: no other chunk, no file per entity, nothing of the blog or of the other locale.
    expect(readSince(start).sort()).toEqual([
      'locales/en/index.json',
      chunkOfSlug('beta'),
      'manifest.json',
      'profile.json',
    ]);

    // A page in the same chunk reads nothing more; one in another chunk reads that chunk only.
    const second = read.mock.calls.length;
    expect((await butter.page.retrieve('landing-page', near, { levels: 1 })).data.data.slug).toBe(
      near,
    );
    expect(readSince(second)).toEqual([]);
    const third = read.mock.calls.length;
    expect((await butter.page.retrieve('landing-page', far, { levels: 1 })).data.data.slug).toBe(
      far,
    );
    expect(readSince(third)).toEqual([chunkOfSlug(far)]);

    // A chunk that is gone is a snapshot error for its entities only.
    await rm(join(lazy, chunkOfSlug('alpha')));
    const intact = fillers.find((s) => chunkOfSlug(s) !== chunkOfSlug('alpha'))!;
    const fresh = createLocalButter(lazy);
    await expect(fresh.page.retrieve('landing-page', 'alpha', { levels: 1 })).rejects.toMatchObject(
      { code: 'SNAPSHOT' },
    );
    const kept = await fresh.page.retrieve('landing-page', intact, { levels: 1 });
    expect(kept.data.data.slug).toBe(intact);
  });

  it('reads nothing on creation', async () => {
    const butter = createLocalButter(join(root, 'does-not-exist'));
    await expect(butter.post.list()).rejects.toMatchObject({ code: 'SNAPSHOT' });
  });
});
