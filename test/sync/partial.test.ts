/**
 * Partial syncs (watch mode): refreshing one page type, a collection or the blog requests only
 * those listings and gives the snapshot a full sync would, byte for byte.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { keptListings } from '../../src/core/sync/partial.ts';
import type { SyncScope } from '../../src/core/sync/types.ts';
import { makeContent } from '../media/content.ts';
import { apiLog, collectionsOf, pageTypesOf, readTree, tempDir } from './helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir('butter-partial-');
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

const options = (out: string) => ({
  token: fake.token,
  apiUrl: fake.apiUrl,
  locales: ['en', 'fr'],
  pageTypes: pageTypesOf(fake.account),
  collections: collectionsOf(fake.account),
  levels: 2 as const,
  out,
  types: join(out, '..', `${out.split('/').pop()}.d.ts`),
});

/** The tree without the sync time (manifest `syncedAt`). */
async function comparable(dir: string) {
  const tree = await readTree(dir);
  const manifest = JSON.parse(tree.get('manifest.json')!);
  delete manifest.syncedAt;
  tree.set('manifest.json', JSON.stringify(manifest));
  return Object.fromEntries([...tree].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Syncs, changes the account, refreshes `only`; then a full sync of the same change from a copy
 * of the snapshot before it (the types lock widens from the same lock) must give the same bytes.
 */
async function refreshAndCompare(name: string, only: SyncScope, change: () => void) {
  const out = join(tmp.dir, name);
  const fresh = join(tmp.dir, `${name}-full`);
  await sync(options(out));
  await cp(out, fresh, { recursive: true });
  change();
  fake.resetLog();
  const partial = await sync(options(out), { only });
  // Probes (levels=2 answers embed what they reference) apart from the listings.
  const log = apiLog(fake);
  const requests = log.filter((e) => !e.query.includes('levels=2')).map((e) => e.path);
  const probes = log.filter((e) => e.query.includes('levels=2')).map((e) => e.path);
  // Media probes: a listing's first entities without alt_media_text.
  const mediaProbes = log
    .filter((e) => /^\/v2\/(pages|content)\//.test(e.path) && !e.query.includes('alt_media_text'))
    .map((e) => e.path);
  expect(partial.partial).toEqual(only);
  expect(partial.changed).toBe(true);

  fake.resetLog();
  const full = await sync({ ...options(fresh), full: true });
  expect(await comparable(out)).toEqual(await comparable(fresh));
  return { requests, probes, mediaProbes, partial: partial.requests, full: full.requests };
}

describe('partial sync', () => {
  it('refreshes one page type: its listing in each locale, nothing else', async () => {
    const result = await refreshAndCompare('page-type', { pageTypes: ['guide'] }, () =>
      fake.updateAccount((a) => {
        const page = a.pages.find((p) => p.slug === 'guide-a')!;
        page.name = 'Guide A, edited';
        page.updated = new Date().toISOString();
      }),
    );
    expect(result.requests.length).toBeGreaterThan(0);
    for (const path of result.requests) expect(path).toMatch(/^\/v2\/pages\/guide\//);
    // guide-a references another guide: the probe of a guide is fetched again.
    for (const path of result.probes) expect(path).toMatch(/^\/v2\/pages\/guide\//);
    expect(result.partial).toBe(result.requests.length + result.probes.length);
    // Only the refreshed listing's media probe is made again.
    expect(result.mediaProbes).toEqual(['/v2/pages/guide/']);
    expect(result.partial).toBeLessThan(result.full / 4);
  });

  it('refreshes one collection', async () => {
    const key = collectionsOf(fake.account)[0]!;
    const result = await refreshAndCompare('collection', { collections: [key] }, () =>
      fake.updateAccount((a) => {
        const item = a.collections[key]![0]!;
        const field = Object.keys(item.fields).find((f) => typeof item.fields[f] === 'string');
        item.fields[field!] = 'edited value';
      }),
    );
    for (const path of result.requests) expect(path).toBe(`/v2/content/${key}/`);
    // A page embedding items of the collection was probed: that probe is fetched again.
    expect(result.probes.length).toBeLessThanOrEqual(2);
    // Its first items hold no media-shaped object: nothing for a media probe to learn.
    expect(result.mediaProbes).toEqual([]);
    expect(result.partial).toBeLessThan(result.full / 4);
  });

  it('refreshes the blog', async () => {
    const result = await refreshAndCompare('blog', { blog: true }, () =>
      fake.updateAccount((a) => {
        const post = a.posts.find((p) => p.status === 'published')!;
        post.title = 'An edited title';
        post.updated = new Date().toISOString();
      }),
    );
    for (const path of result.requests) {
      expect(path).toMatch(/^\/v2\/(posts|authors|categories|tags)\//);
    }
  });

  it('is a no-op write when nothing changed, and a full sync without a snapshot', async () => {
    const out = join(tmp.dir, 'none');
    const first = await sync(options(out), { only: { pageTypes: ['guide'] } });
    expect(first.partial).toBeUndefined();
    const again = await sync(options(out), { only: { pageTypes: ['guide'] } });
    expect(again.partial).toEqual({ pageTypes: ['guide'] });
    expect(again.changed).toBe(false);
    // A page type neither configured nor synced (a webhook for it) is left alone.
    fake.resetLog();
    const unknown = await sync(options(out), { only: { pageTypes: ['not-synced'] } });
    expect(apiLog(fake)).toHaveLength(0);
    expect(unknown.changed).toBe(false);
  });
});

describe('keptListings', () => {
  it('gives the lists that are the base’s own, at the same place, none of whose entities was rewritten', () => {
    const base = makeContent({
      pages: { a: [{ slug: 'x' }], b: [{ slug: 'y' }], c: [{ slug: 'z' }] },
      collections: { faq: [{ meta: { id: 1 } }] },
      posts: [{ slug: 'p' }],
    });
    const [locale] = base.locales;
    const pages = locale!.pageTypes;
    const content = makeContent({
      // `a` and the posts are the base's lists; `b` an equal copy; `c` the base's, rewritten.
      pages: { a: pages.a!, b: [{ slug: 'y' }], c: pages.c!, d: pages.a! },
      collections: { faq: locale!.collections.faq! },
      posts: base.blog.posts,
    });
    const kept = keptListings(base, content, new Set([pages.c![0]!]));
    expect(kept.has(pages.a!)).toBe(true);
    expect(kept.has(locale!.collections.faq!)).toBe(true);
    expect(kept.has(base.blog.posts)).toBe(true);
    expect(kept.has(content.locales[0]!.pageTypes.b!)).toBe(false);
    expect(kept.has(pages.c!)).toBe(false);
    // `d` holds `a`'s list where the base has none: that place adds nothing.
    expect(kept.size).toBe(3);
  });
});
