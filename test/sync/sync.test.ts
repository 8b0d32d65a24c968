import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { readManifest, readSnapshot, writeSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { profileFile } from '../../src/core/sync/profile.ts';
import type { SyncEvent } from '../../src/core/sync/types.ts';
import { apiLog, collectionsOf, countingFetch, pageTypesOf, readTree, tempDir } from './helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir();
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

const base = () => ({
  token: fake.token,
  apiUrl: fake.apiUrl,
  locales: ['en', 'fr'],
  pageTypes: pageTypesOf(fake.account),
  collections: collectionsOf(fake.account),
  media: false,
  types: false as const,
});

const slugs = (list: { slug?: unknown }[]) => list.map((e) => e.slug);

describe('sync of the small account', () => {
  it('syncs every kind for every locale, published content only', async () => {
    const out = join(tmp.dir, 'published');
    const events: SyncEvent[] = [];
    const result = await sync({ ...base(), out }, { onProgress: (e) => events.push(e) });

    expect(result.changed).toBe(true);
    expect(result.out).toBe(out);
    expect(result.locales).toEqual(['en', 'fr']);
    expect(result.discovered).toEqual({ pageTypes: [], collections: [] });
    const { content, manifest } = await readSnapshot(out);
    expect(manifest.preview).toBe(false);
    expect(manifest.locales).toEqual(['en', 'fr']);
    expect(content.locales.map((l) => l.locale)).toEqual(['en', 'fr']);

    const account = fake.account;
    const published = (status: string) => status === 'published';
    for (const locale of content.locales) {
      const expectedSingles = account.pages.filter((p) => !p.pageType && published(p.status));
      expect(slugs(locale.singlePages).sort()).toEqual(expectedSingles.map((p) => p.slug).sort());
      for (const type of pageTypesOf(account)) {
        const expected = account.pages.filter((p) => p.pageType === type && published(p.status));
        expect(slugs(locale.pageTypes[type] ?? []).sort()).toEqual(
          expected.map((p) => p.slug).sort(),
        );
      }
      for (const key of collectionsOf(account)) {
        const expected = (account.collections[key] ?? []).filter((i) => published(i.status));
        const ids = (locale.collections[key] ?? []).map((i) => (i.meta as { id: number }).id);
        expect(ids.sort()).toEqual(expected.map((i) => i.id).sort());
      }
    }
    // Translations differ per locale, references stay URIs (levels=1), media as {url, alt}.
    const [en, fr] = content.locales;
    expect(JSON.stringify(en!.pageTypes)).not.toEqual(JSON.stringify(fr!.pageTypes));
    const guide = en!.pageTypes.guide!.find((p) => p.slug === 'guide-a')!;
    const fields = guide.fields as Record<string, unknown>;
    expect(fields.related_guide).toMatch(/^\/v2\/pages\/guide\/guide-b\/?$/);
    expect(fields.hero_image).toMatchObject({ url: expect.any(String) });

    const blog = content.blog;
    const publishedPosts = account.posts.filter((p) => published(p.status)).map((p) => p.slug);
    expect(slugs(blog.posts).sort()).toEqual(publishedPosts.sort());
    expect(slugs(blog.posts)).not.toContain('draft-post');
    expect(slugs(blog.authors).sort()).toEqual(account.authors.map((a) => a.slug).sort());
    expect(slugs(blog.categories).sort()).toEqual(account.categories.map((c) => c.slug).sort());
    expect(slugs(blog.tags).sort()).toEqual(account.tags.map((t) => t.slug).sort());
    for (const author of blog.authors) expect(author).not.toHaveProperty('recent_posts');
    const recent = Object.values(blog.recentPosts.authors).flat();
    expect(recent.length).toBeGreaterThan(0);
    for (const slug of recent) expect(publishedPosts).toContain(slug);

    // Probes: a post detail, an entity with references at levels=2, an unpaginated listing.
    expect(content.probes.postDetail?.body).toHaveProperty('meta');
    expect(content.probes.embedded.length).toBeGreaterThan(0);
    expect(content.probes.embedded[0]!.locale).toBe('en');
    expect(content.probes.pageListDefault?.body).toHaveProperty('data');
    // recent_posts shape, cut from the authors answer (no extra request).
    const recentProbe = content.probes.recentPosts;
    expect(recentProbe?.kind).toBe('authors');
    expect((recentProbe!.body.data as { slug: string }[])[0]?.slug).toBe(recentProbe!.slug);

    // Entity counts and progress.
    expect(result.entities.posts).toBe(publishedPosts.length);
    expect(result.entities.pages).toBe(
      2 * account.pages.filter((p) => p.pageType && published(p.status)).length,
    );
    const last = new Map<string, { done: number; total: number }>();
    for (const e of events) if (e.type === 'progress') last.set(e.kind, e);
    for (const [kind, p] of last) expect(p.done, kind).toBe(p.total);
    expect(last.get('posts')?.done).toBe(publishedPosts.length);
  });

  it('counts exactly the requests the server saw', async () => {
    fake.resetLog();
    const result = await sync({ ...base(), out: join(tmp.dir, 'count') });
    expect(result.requests).toBe(apiLog(fake).length);
    expect(result.retries).toBe(0);
    expect(result.bytes).toBe(apiLog(fake).reduce((sum, e) => sum + e.bytes, 0));
    // Every listing at levels=1 with alt_media_text=1, but for one media probe per listing of
    // the first locale whose first page holds media-shaped objects: its first entities without
    // alt_media_text, as many as hold every such path (here the first one; the collections of
    // plain text have none).
    const listings = apiLog(fake).filter((e) => /^\/v2\/(pages|content)\/[^/]+\/$/.test(e.path));
    const mediaProbes = listings.filter((e) => !e.query.includes('alt_media_text=1'));
    for (const entry of listings) expect(entry.query).toContain('levels=1');
    for (const entry of mediaProbes) expect(entry.query).toContain('page=1&page_size=1&locale=en');
    expect(mediaProbes.map((e) => e.path).sort()).toEqual([
      '/v2/content/feature/',
      '/v2/pages/*/',
      '/v2/pages/guide/',
      '/v2/pages/landing-page/',
    ]);
  });

  it('learns which media-shaped objects are content, with types on or off', async () => {
    const profiles = [];
    for (const types of [false as const, join(tmp.dir, 'not-media.d.ts')]) {
      const result = await sync({ ...base(), types, out: join(tmp.dir, `not-media-${!types}`) });
      const profile = JSON.parse(await readFile(join(result.out, 'profile.json'), 'utf8'));
      profiles.push(profile.notMedia);
    }
    expect(profiles[0]).toEqual([
      {
        listing: { kind: 'page', pageType: 'guide' },
        paths: [
          ['fields', 'further_reading', 0],
          ['fields', 'hero', 'cta'],
        ],
      },
    ]);
    expect(profiles[1]).toEqual(profiles[0]);
  });

  it('keeps preview apart: drafts only in the preview snapshot', async () => {
    const root = join(tmp.dir, 'preview-root');
    const published = await sync({ ...base(), root });
    const preview = await sync({ ...base(), root, preview: true });
    expect(published.out).toBe(join(root, '.buttercms'));
    expect(preview.out).toBe(join(root, '.buttercms-preview'));

    const pub = await readSnapshot(published.out);
    const pre = await readSnapshot(preview.out);
    expect(pre.manifest.preview).toBe(true);
    expect(slugs(pre.content.blog.posts)).toContain('draft-post');
    expect(slugs(pub.content.blog.posts)).not.toContain('draft-post');
    const guides = (s: typeof pub) => slugs(s.content.locales[0]!.pageTypes.guide ?? []);
    expect(guides(pre)).toContain('guide-draft');
    expect(guides(pub)).not.toContain('guide-draft');
    const pubText = JSON.stringify(pub.content);
    expect(pubText).not.toContain('guide-draft');
    expect(pubText).not.toContain('810004');
  });

  it('writes nothing when the account did not change', async () => {
    const out = join(tmp.dir, 'twice');
    const first = await sync({ ...base(), out });
    const before = await readTree(out);
    const manifest = await readManifest(out);
    const second = await sync({ ...base(), out });
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect(await readTree(out)).toEqual(before);
    expect((await readManifest(out))?.syncedAt).toBe(manifest?.syncedAt);
  });

  it('writes the same bytes whatever the concurrency and the order answers arrive in', async () => {
    const a = await sync({ ...base(), out: join(tmp.dir, 'order-a'), concurrency: 1 });
    fake.setFaults({ latencyMs: 5 });
    try {
      const b = await sync({ ...base(), out: join(tmp.dir, 'order-b'), concurrency: 16 });
      const [ma, mb] = [await readManifest(a.out), await readManifest(b.out)];
      // Every file but the manifest, by content hash.
      expect(Object.keys(ma!.hashes)).toContain('probes.json');
      expect(mb?.hashes).toEqual(ma?.hashes);
    } finally {
      fake.setFaults({});
    }
  });

  it('chooses the embedded probe as soon as known pages settle it, the same as from whole listings', async () => {
    // One item per page and one request at a time: every listing is a chain of pages.
    fake.resetLog();
    const paged = await sync({
      ...base(),
      out: join(tmp.dir, 'probe-paged'),
      pageSize: 1,
      concurrency: 1,
    });
    const log = apiLog(fake).map((e) => `${e.path}?${e.query}`);
    const probe = log.findIndex((entry) => entry.includes('levels=2'));
    // Before the first locale's page listings are complete (from whole listings, it came after).
    const lastListingPage = log.findLastIndex(
      (entry) => /^\/v2\/pages\/[^/]+\/\?.*page=/.test(entry) && entry.includes('locale=en'),
    );
    expect(probe).toBeGreaterThan(-1);
    expect(probe).toBeLessThan(lastListingPage);
    const whole = await sync({ ...base(), out: join(tmp.dir, 'probe-whole') });
    const embedded = async (out: string) => (await readSnapshot(out)).content.probes.embedded;
    expect(await embedded(paged.out)).toEqual(await embedded(whole.out));
  });

  it('writes the snapshot a write of the content it reads back writes again', async () => {
    const streamed = await sync({ ...base(), out: join(tmp.dir, 'streamed') });
    const { content, manifest } = await readSnapshot(streamed.out);
    // The profile learned from the content read back is the one the sync learned.
    const extraFiles = profileFile(content);
    expect(extraFiles['profile.json']).toBe((await readTree(streamed.out)).get('profile.json'));
    const facts = {
      source: manifest.source,
      levels: manifest.levels,
      preview: manifest.preview,
      discovered: manifest.discovered,
      optionsDigest: manifest.optionsDigest,
    };
    const whole = join(tmp.dir, 'whole');
    await writeSnapshot(whole, content, facts, { extraFiles, now: new Date(manifest.syncedAt) });
    const [a, b] = [await readTree(streamed.out), await readTree(whole)];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect([...a.keys()].some((path) => path.includes('/_chunk-'))).toBe(true);
    expect(a).toEqual(b);
    // No temporary folder is left beside the snapshot.
    const beside = (await readdir(tmp.dir)).filter((n) => n.startsWith('streamed'));
    expect(beside).toEqual(['streamed']);
  });

  it('stores answers written in any valid JSON form as it stores compact ones', async () => {
    // Pretty-printed, `\/` escapes, a byte-order mark: the snapshot is the same.
    const compact = await sync({ ...base(), out: join(tmp.dir, 'form-compact') });
    let answer = 0;
    const rewrite = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.startsWith('/v2/') || response.status !== 200) {
        return response;
      }
      const value: unknown = JSON.parse(await response.text());
      const forms = [
        () => JSON.stringify(value, null, 2),
        () => JSON.stringify(value).replaceAll('/', '\\/'),
        () => `\uFEFF${JSON.stringify(value)}`,
      ];
      const body = forms[answer++ % forms.length]!();
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const other = await sync(
      { ...base(), out: join(tmp.dir, 'form-other') },
      { fetch: rewrite as typeof fetch },
    );
    expect(answer).toBeGreaterThan(10);
    const [a, b] = [await readTree(compact.out), await readTree(other.out)];
    a.delete('manifest.json');
    b.delete('manifest.json');
    expect(b).toEqual(a);
    expect((await readManifest(other.out))?.hashes).toEqual(
      (await readManifest(compact.out))?.hashes,
    );
  });

  it('runs listings concurrently through one limit', async () => {
    const counting = countingFetch();
    fake.setFaults({ latencyMs: 15 });
    try {
      await sync(
        { ...base(), out: join(tmp.dir, 'parallel'), concurrency: 6 },
        {
          fetch: counting.fetch,
        },
      );
    } finally {
      fake.setFaults({});
    }
    expect(counting.maxInFlight()).toBeGreaterThan(1);
    expect(counting.maxInFlight()).toBeLessThanOrEqual(6);
  });

  it('syncs the account default without a locale parameter when no locales are set', async () => {
    fake.resetLog();
    const result = await sync({ ...base(), locales: [], out: join(tmp.dir, 'default') });
    expect(result.locales).toEqual([null]);
    expect(apiLog(fake).some((e) => e.query.includes('locale='))).toBe(false);
    const { manifest } = await readSnapshot(result.out);
    expect(manifest.locales).toEqual([null]);
  });
});
