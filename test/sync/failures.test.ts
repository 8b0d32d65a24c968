import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { ButterError } from '../../src/core/errors.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { apiLog, collectionsOf, pageTypesOf, readTree, tempDir } from './helpers.ts';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('a sync failing mid-way', () => {
  let fake: FakeButter;
  beforeAll(async () => {
    fake = await startFakeButter({ account: 'small' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('leaves the previous snapshot byte-identical when requests start dropping', async () => {
    const options = {
      token: fake.token,
      apiUrl: fake.apiUrl,
      out: join(tmp.dir, 'midway'),
      locales: ['en', 'fr'],
      pageTypes: pageTypesOf(fake.account),
      collections: collectionsOf(fake.account),
      media: false,
      types: false as const,
      retries: 1,
    };
    await sync(options);
    const before = await readTree(options.out);
    fake.updateAccount((account) => {
      account.posts[0]!.title = 'Changed, so the next sync would write';
    });

    // Drop every request after the first N.
    const N = 5;
    let seen = 0;
    const dropping: typeof fetch = (input, init) => {
      seen++;
      if (seen === N + 1) fake.setFaults({ dropRate: 1 });
      return fetch(input, init);
    };
    try {
      const error = await sync(options, { fetch: dropping }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ButterError);
      expect(['NETWORK', 'BAD_RESPONSE', 'TIMEOUT']).toContain((error as ButterError).code);
      expect((error as Error).message).not.toContain(fake.token);
    } finally {
      fake.setFaults({});
    }
    expect(await readTree(options.out)).toEqual(before);
    expect(await siblings(options.out)).toEqual(['midway']);
  });

  it('fails on a listing it cannot store, removing what the crawl had stored so far', async () => {
    const options = {
      token: fake.token,
      apiUrl: fake.apiUrl,
      out: join(tmp.dir, 'unstorable'),
      pageTypes: pageTypesOf(fake.account),
      collections: collectionsOf(fake.account),
      media: false,
      types: false as const,
    };
    await sync(options);
    const before = await readTree(options.out);
    // The post list answers a post without a slug: no file name for it.
    const slugless: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith('/posts/')) return response;
      const body = (await response.json()) as { data: { slug?: string }[] };
      delete body.data[0]?.slug;
      return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
    };
    const error = await sync(options, { fetch: slugless }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ButterError);
    expect((error as ButterError).code).toBe('SNAPSHOT');
    expect((error as Error).message).toMatch(/post without a string `slug`/);
    // The store's thread failed: the error reads as if the sync's own thread had thrown it.
    expect((error as Error).message.match(/\[buttercms\]/g)).toHaveLength(1);
    expect((error as ButterError).hint).toMatch(/bug in the sync/);
    expect(await readTree(options.out)).toEqual(before);
    expect(await siblings(options.out)).toEqual(['unstorable']);
  });
});

describe('a misspelled page type', () => {
  let fake: FakeButter;
  beforeAll(async () => {
    fake = await startFakeButter({ account: 'small' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('is the only thing reported: the requests its failure stops are not 404s', async () => {
    // The misspelled listing answers once a probe is under way; every request after that is
    // slow, so the probe and other listings are still in flight when the sync fails.
    let probing: () => void = () => {};
    const probeStarted = new Promise<void>((resolve) => {
      probing = resolve;
    });
    let late = false;
    const held: typeof fetch = async (input, init) => {
      const path = new URL(String(input)).pathname;
      if (path.endsWith('/pages/casestudy/')) await probeStarted;
      else if (late) await sleep(300, undefined, { signal: init?.signal ?? undefined });
      else if (/\/posts\/[^/]+\/$/.test(path)) {
        late = true;
        probing();
        await sleep(300, undefined, { signal: init?.signal ?? undefined });
      }
      return fetch(input, init);
    };
    const warnings: string[] = [];
    const error = await sync(
      {
        token: fake.token,
        apiUrl: fake.apiUrl,
        out: join(tmp.dir, 'misspelled'),
        locales: ['en', 'fr'],
        pageTypes: ['landing-page', 'casestudy', 'guide'],
        collections: collectionsOf(fake.account),
        media: false,
        types: false,
      },
      { fetch: held, logger: { warn: (message) => warnings.push(message) } },
    ).catch((e: unknown) => e);
    expect(late).toBe(true);
    expect((error as Error).message).toBe(
      '[buttercms] unknown page type `casestudy`: check the slug in ButterCMS → Page Types (the API answers 404 for /pages/casestudy/)\n  → Fix or remove `casestudy` in `pageTypes` (--page-types).',
    );
    expect(warnings).toEqual([]);
  });
});

/** Names in the folder holding `dir` that start like it (temporary folders of a write). */
async function siblings(dir: string): Promise<string[]> {
  const name = basename(dir);
  return (await readdir(dirname(dir))).filter((n) => n.startsWith(name)).sort();
}

describe('pagination', () => {
  let fake: FakeButter;
  beforeAll(async () => {
    fake = await startFakeButter({ account: 'generated:pages=260,posts=230,items=240,seed=3' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('gets every entity when the server serves fewer than asked for (250 → 100)', async () => {
    const account = fake.account;
    const pageTypes = pageTypesOf(account);
    const collections = collectionsOf(account);
    fake.resetLog();
    const result = await sync({
      token: fake.token,
      apiUrl: fake.apiUrl,
      out: join(tmp.dir, 'paged'),
      locales: account.locales.slice(0, 1),
      pageTypes,
      collections,
      pageSize: 250,
      media: false,
      types: false,
    });
    const { content } = await readSnapshot(result.out);
    const locale = content.locales[0]!;
    const published = (s: string) => s === 'published';
    for (const type of pageTypes) {
      const expected = account.pages.filter((p) => p.pageType === type && published(p.status));
      expect(locale.pageTypes[type]?.length, type).toBe(expected.length);
    }
    for (const key of collections) {
      const expected = (account.collections[key] ?? []).filter((i) => published(i.status));
      expect(locale.collections[key]?.length, key).toBe(expected.length);
    }
    const posts = account.posts.filter((p) => published(p.status));
    expect(content.blog.posts.length).toBe(posts.length);
    expect(new Set(content.blog.posts.map((p) => p.slug)).size).toBe(posts.length);
    // Asked for 250, served 100: several pages per listing, fetched once each.
    const postPages = apiLog(fake).filter(
      (e) => e.path === '/v2/posts/' && e.query.includes('page='),
    );
    expect(postPages.length).toBe(Math.ceil(posts.length / 100));
    expect(postPages.every((e) => e.query.includes('page_size=250'))).toBe(true);
    expect(result.requests).toBe(apiLog(fake).length);
  });
});
