/**
 * The sync against hostile servers (`FaultOptions.hostile` and `.listing` of the fake): each
 * mode ends in an error that names the endpoint and what was wrong, the previous snapshot stays
 * byte-identical, and nothing is left beside it. Bounded time and memory are what these
 * outcomes prove (no test measures them; `npm run bench -- hostile` does).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultOptions } from '../../fixtures/server/index.ts';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { ButterError } from '../../src/core/errors.ts';
import type { Options } from '../../src/core/options.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { apiLog, collectionsOf, readTree, tempDir } from './helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
let options: Options;
let before: Map<string, string>;
/** The page type the faults hit: 16 pages, so a page of 5 is a real short page. */
const TYPE = 'product';

beforeAll(async () => {
  fake = await startFakeButter({ account: 'generated:pages=60,posts=12,items=10,drafts=0,seed=5' });
  tmp = await tempDir();
  const types = [...new Set(fake.account.pages.map((p) => p.pageType).filter(Boolean))];
  options = {
    token: fake.token,
    apiUrl: fake.apiUrl,
    out: join(tmp.dir, '.buttercms'),
    locales: fake.account.locales.slice(0, 1),
    pageTypes: types as string[],
    collections: collectionsOf(fake.account),
    media: false,
    types: false,
    retries: 1,
  };
  await sync(options);
  before = await readTree(options.out as string);
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

/** The sync's failure under `faults` (on the listing of TYPE unless they say otherwise). */
async function failure(faults: FaultOptions, extra: Options = {}): Promise<ButterError> {
  fake.setFaults({ match: `/pages/${TYPE}/`, ...faults });
  fake.resetLog();
  try {
    // Cold: a warm sync may not ask for the listing the faults hit.
    const error = await sync({ ...options, full: true, ...extra }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ButterError);
    return error as ButterError;
  } finally {
    fake.setFaults({});
  }
}

async function expectPreviousSnapshot(): Promise<void> {
  expect(await readTree(options.out as string)).toEqual(before);
  const out = options.out as string;
  const beside = (await readdir(dirname(out))).filter((n) => n.startsWith(basename(out)));
  expect(beside).toEqual([basename(out)]);
}

describe('listings that do not add up', () => {
  it('the fake has the page type the faults hit', async () => {
    const { content } = await readSnapshot(options.out as string);
    expect(content.locales[0]!.pageTypes[TYPE]).toHaveLength(16);
  });

  it.each([
    ['[] of 21', { count: 21, items: 0, nextPage: null }, 'its page holds 0 items'],
    ['5 of 21', { count: 21, items: 5, nextPage: null }, 'its page holds 5 items'],
  ] as const)(
    '%s with no next page: an error naming the numbers',
    async (_name, listing, holds) => {
      const error = await failure({ listing });
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toMatch(
        new RegExp(`GET /v2/pages/${TYPE}/\\?[^ ]* → 200, but the listing does not add up`),
      );
      expect(error.message).toContain(`\`meta.count\` is 21, and ${holds} with no next page`);
      await expectPreviousSnapshot();
    },
  );

  it('items that are not objects: refused, not dropped', async () => {
    const error = await failure({ listing: { items: 'non-objects' } });
    expect(error.message).toContain(
      'the body is a listing whose item 1 of 3 is a number, not an entity (an object)',
    );
    await expectPreviousSnapshot();
  });

  it.each([1e9, 1e12])('meta.count = %d with a next page: refused at once', async (count) => {
    const error = await failure({ listing: { count, nextPage: 2 } });
    expect(error.message).toContain(`\`meta.count\` is ${count}: more than the 1000000 items`);
    expect(apiLog(fake).filter((e) => e.path === `/v2/pages/${TYPE}/`)).toHaveLength(1);
    await expectPreviousSnapshot();
  });

  it('a listing that never ends stops where its first page promised it would', async () => {
    const error = await failure({ listing: { nextPage: 'endless' } }, { pageSize: 5 });
    expect(error.message).toMatch(
      /but the listing does not end: its first page promised 16 items \(4 pages of 5\), and after 6 pages it still points to page 7 next/,
    );
    // The listing's own requests (the probes ask without alt_media_text): the first page, 3 in
    // parallel that did not end the chain, then pages 2 to 6 one after the other.
    const listing = apiLog(fake).filter(
      (e) => e.path === `/v2/pages/${TYPE}/` && e.query.includes('alt_media_text=1'),
    );
    expect(listing.length).toBeLessThanOrEqual(9);
    await expectPreviousSnapshot();
  });
});

describe('answers that would exhaust memory or the stack', () => {
  it.each(['endless-body', 'gzip-bomb'] as const)('%s: stops at maxResponseBytes', async (mode) => {
    const error = await failure({ hostile: mode }, { maxResponseBytes: '2MiB' });
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain(
      'the body is larger than maxResponseBytes (2097152 bytes; the API caps its answers at 10 MB)',
    );
    await expectPreviousSnapshot();
  });

  it('JSON nested 3,000 deep: named, not a stack overflow', async () => {
    const error = await failure({ hostile: 'deep-json' });
    expect(error.message).toContain('the body is JSON nested deeper than 256 levels');
    expect(error.message).not.toMatch(/call stack|no item list/);
    await expectPreviousSnapshot();
  });

  it('a 200 with an HTML page: said to be no ButterCMS answer, no word of the 10 MB limit', async () => {
    const error = await failure({ hostile: 'html' });
    expect(error.message).toContain('an HTML/XML page instead of JSON (text/html)');
    expect(error.hint).toContain('This is not a ButterCMS Read API answer');
    expect(error.hint).not.toContain('10 MB');
    await expectPreviousSnapshot();
  });
});

describe('servers that keep failing', () => {
  it('a server that never sends headers: the retry budget ends the sync, saying what was tried', async () => {
    const error = await failure({ hostile: 'hang' }, { timeout: 200, retries: 4 });
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('The sync stopped retrying: its retry budget is spent');
    // 2 retries after timeouts in the whole sync, whatever the listings and page sizes: the
    // listing's first request, its probes' (same path), and 2 more.
    const listing = apiLog(fake).filter(
      (e) => e.fault === 'hang' && e.query.includes('alt_media_text=1&page='),
    );
    expect(listing.length).toBeLessThanOrEqual(1 + 2);
    await expectPreviousSnapshot();
  });

  it('a 429 with Retry-After: 1 is a throttle, not the monthly quota', async () => {
    const error = await failure({ rate429: 1, retryAfter: 1 }, { retries: 1 });
    expect(error.code).toBe('QUOTA');
    expect(error.message).toContain('ButterCMS is throttling the requests');
    expect(error.message).not.toContain('monthly API-call quota is used up');
    await expectPreviousSnapshot();
  });
});

describe('a listing that grows while it is read', () => {
  it('is synced whole: new pages mid-crawl are no error', async () => {
    let added = false;
    const growing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(String(input));
      if (!added && url.pathname === `/v2/pages/${TYPE}/` && url.searchParams.get('page') === '1') {
        added = true;
        fake.updateAccount((account) => {
          const page = account.pages.find((p) => p.pageType === TYPE)!;
          for (const n of [1, 2]) account.pages.unshift({ ...page, slug: `${page.slug}-new-${n}` });
        });
      }
      return response;
    };
    const result = await sync(
      { ...options, out: join(tmp.dir, 'growing'), pageSize: 5 },
      {
        fetch: growing,
      },
    );
    expect(added).toBe(true);
    const { content } = await readSnapshot(result.out);
    const slugs = content.locales[0]!.pageTypes[TYPE]!.map((p) => p.slug);
    const { content: previous } = await readSnapshot(options.out as string);
    for (const page of previous.locales[0]!.pageTypes[TYPE]!) expect(slugs).toContain(page.slug);
  });
});
