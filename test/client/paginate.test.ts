import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BadResponseError,
  type ButterClient,
  NetworkError,
  QuotaError,
  ServerError,
  shrinkable,
  TimeoutError,
} from '../../src/core/client/index.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { json, stubClient } from './stub.ts';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
const data = (b: JsonObject) => b.data as JsonObject[];

/** A well-behaved listing that returns at most `cap` items per page. */
function listing(all: JsonObject[], cap = 100) {
  return (url: URL) => {
    const q = url.searchParams;
    const size = Math.min(Number(q.get('page_size') ?? 10), cap);
    const page = Number(q.get('page') ?? 1);
    const pages = Math.ceil(all.length / size);
    if (page > Math.max(1, pages)) return json({ detail: 'Invalid page.' }, 404);
    return json({
      meta: {
        count: all.length,
        next_page: page < pages ? page + 1 : null,
        previous_page: page > 1 ? page - 1 : null,
      },
      data: all.slice((page - 1) * size, page * size),
    });
  };
}

async function list(
  client: ButterClient,
  options: Partial<Parameters<ButterClient['listAll']>[2]> = {},
) {
  return client.listAll('/posts/', { levels: 1 }, { pageSize: 250, extract: data, ...options });
}

describe('listAll', () => {
  it('fetches the rest in parallel from count and the honoured page length', async () => {
    const all = items(345);
    const { client, calls } = stubClient(listing(all, 100));
    const result = await list(client);
    expect(result.items).toEqual(all);
    // The item arrays of the pages the listing is made of, in order.
    expect(result.pages).toEqual([
      all.slice(0, 100),
      all.slice(100, 200),
      all.slice(200, 300),
      all.slice(300),
    ]);
    expect(result.requests).toBe(4);
    expect(result.pageSize).toBe(250);
    expect(calls.map((u) => u.searchParams.get('page'))).toEqual(['1', '2', '3', '4']);
    expect(calls.every((u) => u.searchParams.get('page_size') === '250')).toBe(true);
    expect(calls.every((u) => u.searchParams.get('levels') === '1')).toBe(true);
  });

  it('makes one request for a single page, an empty listing, or a body without meta', async () => {
    for (const n of [0, 1, 100]) {
      const { client } = stubClient(listing(items(n)));
      expect(await list(client)).toEqual({
        items: items(n),
        pages: [items(n)],
        requests: 1,
        pageSize: 250,
      });
    }
    const keyed = stubClient(() => json({ data: { faq: items(3) } }));
    const result = await keyed.client.listAll(
      '/content/',
      { keys: 'faq' },
      {
        pageSize: 50,
        extract: (b) => (b.data as JsonObject).faq as JsonObject[],
      },
    );
    expect(result.items).toEqual(items(3));
  });

  it('sends one pagination style only, whatever the caller passed', async () => {
    const { client, calls } = stubClient(listing(items(5)));
    await client.listAll(
      '/posts/',
      { limit: 3, offset: 1, page: 9, page_size: 2, levels: 1 },
      {
        pageSize: 10,
        extract: data,
      },
    );
    expect(calls[0]?.search).toMatch(/^\?levels=1&page=1&page_size=10&auth_token=/);
  });

  it('falls back to following next_page when the meta chain is inconsistent', async () => {
    const all = items(30);
    // Page 1 claims 10 per page, but the server actually pages by 10, 12, 8 (say, content moved).
    const pages: Record<string, JsonObject> = {
      '1': { meta: { count: 30, next_page: 2 }, data: all.slice(0, 10) },
      '2': { meta: { count: 30, next_page: 3 }, data: all.slice(10, 22) },
      '3': { meta: { count: 30, next_page: null }, data: all.slice(22, 30) },
    };
    const { client, calls } = stubClient((url) => json(pages[url.searchParams.get('page')!]));
    const result = await list(client);
    expect(result.items).toEqual(all);
    // 3 parallel + 2 sequential re-reads (page 1 is reused).
    expect(calls.map((u) => u.searchParams.get('page'))).toEqual(['1', '2', '3', '2', '3']);
    expect(result.requests).toBe(5);
  });

  it('falls back when a later page disagrees on count', async () => {
    const all = items(20);
    const { client } = stubClient((url) => {
      const page = Number(url.searchParams.get('page'));
      return json({
        meta: { count: page === 1 ? 20 : 21, next_page: page < 2 ? page + 1 : null },
        data: all.slice((page - 1) * 10, page * 10),
      });
    });
    expect((await list(client)).items).toEqual(all);
  });

  it('refuses pagination that does not advance', async () => {
    const { client, calls } = stubClient(() =>
      json({ meta: { count: 50, next_page: 1 }, data: items(10) }),
    );
    const error = await list(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_RESPONSE');
    expect((error as ApiError).message).toContain('pagination does not advance: page 1');
    expect(calls.length).toBeLessThan(10);
  });

  it('refuses an empty page that still points to a next page', async () => {
    const { client } = stubClient((url) =>
      url.searchParams.get('page') === '1'
        ? json({ meta: { count: 30, next_page: 2 }, data: items(10) })
        : json({ meta: { count: 30, next_page: 3 }, data: [] }),
    );
    await expect(list(client)).rejects.toThrow(
      'pagination does not advance: page 2 returned 0 items',
    );
  });

  it('refuses a cycle of pages', async () => {
    const { client } = stubClient((url) => {
      const page = Number(url.searchParams.get('page'));
      return json({ meta: { next_page: page === 3 ? 2 : page + 1 }, data: items(5) });
    });
    await expect(list(client)).rejects.toThrow('pagination does not advance: page 3');
  });

  it('refuses a listing whose pages hold fewer items than it counts, naming the numbers', async () => {
    for (const [served, count] of [
      [[], 21],
      [items(5), 21],
    ] as const) {
      const { client } = stubClient(() => json({ meta: { count, next_page: null }, data: served }));
      const error = (await list(client).catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toContain(
        `GET /v2/posts/?levels=1&page=1&page_size=250 → 200, but the listing does not add up: \`meta.count\` is ${count}, and its page holds ${served.length} items with no next page.`,
      );
    }
    // Over several pages, followed one at a time.
    const pages: Record<string, JsonObject> = {
      '1': { meta: { count: 30, next_page: 2 }, data: items(10) },
      '2': { meta: { count: 30, next_page: null }, data: items(20).slice(10) },
    };
    const { client } = stubClient((url) => json(pages[url.searchParams.get('page')!]));
    await expect(list(client)).rejects.toThrow('2 pages hold 20 items with no next page');
  });

  it('takes a listing that grew or shrank while it was read', async () => {
    // Two items were added after page 1 was read: page 2 repeats one and counts 32.
    const grown: Record<string, JsonObject> = {
      '1': { meta: { count: 30, next_page: 2 }, data: items(10) },
      '2': { meta: { count: 32, next_page: 3 }, data: items(19).slice(9) },
      '3': { meta: { count: 32, next_page: 4 }, data: items(29).slice(19) },
      '4': { meta: { count: 32, next_page: null }, data: items(32).slice(29) },
    };
    const { client } = stubClient((url) => json(grown[url.searchParams.get('page')!]));
    expect((await list(client)).items).toHaveLength(33);
    // One was deleted: the last page counts 29.
    const shrunk: Record<string, JsonObject> = {
      '1': { meta: { count: 30, next_page: 2 }, data: items(10) },
      '2': { meta: { count: 29, next_page: 3 }, data: items(21).slice(11) },
      '3': { meta: { count: 29, next_page: null }, data: items(30).slice(21) },
    };
    const again = stubClient((url) => json(shrunk[url.searchParams.get('page')!]));
    expect((await list(again.client)).items).toHaveLength(29);
  });

  it("stops a listing that never ends where its first page's promise (and some growth) ends", async () => {
    // 30 items in pages of 10, but every page points to the next, with items of its own.
    const { client, calls } = stubClient((url) => {
      const page = Number(url.searchParams.get('page'));
      return json({ meta: { count: 30, next_page: page + 1 }, data: items(10) });
    });
    const error = (await list(client).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toContain(
      'but the listing does not end: its first page promised 30 items (3 pages of 10), and after 5 pages it still points to page 6 next.',
    );
    // 3 pages in parallel (page 3 did not end the chain), then 5 one after the other.
    expect(calls.length).toBeLessThanOrEqual(8);
  });

  it('never allocates or requests from an absurd count', async () => {
    for (const count of [1e9, 1e12]) {
      const { client, calls } = stubClient(() =>
        json({ meta: { count, next_page: 2 }, data: items(10) }),
      );
      const error = (await list(client).catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toContain(`\`meta.count\` is ${count}: more than the 1000000 items`);
      expect(calls).toHaveLength(1);
    }
  });

  it("requests a long listing's pages a window at a time, stopping at the first that fails", async () => {
    // A million items promised in pages of 10, but page 3 onwards answers 404.
    const { client, calls } = stubClient(
      (url) => {
        const page = Number(url.searchParams.get('page'));
        return page > 2
          ? json({ detail: 'Invalid page.' }, 404)
          : json({ meta: { count: 1_000_000, next_page: page + 1 }, data: items(10) });
      },
      { concurrency: 8 },
    );
    await expect(list(client)).rejects.toThrow('404');
    expect(calls.length).toBeLessThanOrEqual(1 + 64);
  });

  it('says so when the item list is not where extract looks', async () => {
    const { client } = stubClient(() => json({}));
    await expect(
      client.listAll(
        '/content/',
        { keys: 'faq' },
        {
          pageSize: 10,
          extract: (b) => (b.data as JsonObject).faq as JsonObject[],
        },
      ),
    ).rejects.toThrow('no item list where the listing expects one (keys: none)');
  });

  it('halves the page size after a timeout or cut-off body, down to what works', async () => {
    const all = items(120);
    const serve = listing(all, 100);
    const { client, calls } = stubClient(
      (url) => {
        const size = Number(url.searchParams.get('page_size'));
        if (size > 40)
          return new Response('{"meta": {"count": 120}, "data": [{"id": 1}, {"i', { status: 200 });
        return serve(url);
      },
      { retries: 1 },
    );
    const result = await list(client, { pageSize: 100 });
    expect(result.items).toEqual(all);
    expect(result.pageSize).toBe(25);
    // 100 and 50 each fail twice (1 retry); 25 takes 5 pages.
    expect(calls.map((u) => u.searchParams.get('page_size'))).toEqual([
      '100',
      '100',
      '50',
      '50',
      '25',
      '25',
      '25',
      '25',
      '25',
    ]);
    expect(result.requests).toBe(9);
  });

  it('does not shrink for a body that is corrupt rather than cut off', async () => {
    const { client, calls } = stubClient(() => new Response('{"data": <!-- x --> []}'), {
      retries: 1,
    });
    await expect(list(client, { pageSize: 100 })).rejects.toThrow('invalid JSON');
    expect(calls.map((u) => u.searchParams.get('page_size'))).toEqual(['100', '100']);
  });

  it('does not shrink on errors a smaller page cannot fix', async () => {
    const { client, calls } = stubClient(() => json({ detail: 'Not found.' }, 404));
    await expect(list(client)).rejects.toThrow('404 Not Found');
    expect(calls).toHaveLength(1);
  });

  it('fails when even page size 1 is too big', async () => {
    const { client, calls } = stubClient(() => new Response('{"data": [', { status: 200 }), {
      retries: 0,
    });
    await expect(list(client, { pageSize: 4 })).rejects.toThrow('truncated JSON');
    expect(calls.map((u) => u.searchParams.get('page_size'))).toEqual(['4', '2', '1']);
  });

  it('stops sibling pages after a page fails', async () => {
    const all = items(1000);
    const serve = listing(all, 10);
    const { client, calls } = stubClient(
      (url) => (url.searchParams.get('page') === '2' ? json({ detail: 'gone' }, 404) : serve(url)),
      { concurrency: 1 },
    );
    await expect(list(client)).rejects.toThrow('404');
    expect(calls.length).toBeLessThan(10);
  });

  it('shrinkable() picks timeouts, cut-off bodies and 504s only', () => {
    const d = { endpoint: 'GET /v2/posts/' };
    expect(shrinkable(new Error('x'))).toBe(false);
    expect(shrinkable(new TimeoutError('t', d))).toBe(true);
    expect(shrinkable(new BadResponseError('b', { ...d, malformed: true, truncated: true }))).toBe(
      true,
    );
    expect(shrinkable(new BadResponseError('b', { ...d, malformed: true }))).toBe(false);
    expect(shrinkable(new BadResponseError('b', d))).toBe(false);
    expect(shrinkable(new NetworkError('n', { ...d, incomplete: true }))).toBe(true);
    expect(shrinkable(new NetworkError('n', d))).toBe(false);
    expect(shrinkable(new ServerError('s', { ...d, status: 504 }))).toBe(true);
    expect(shrinkable(new ServerError('s', { ...d, status: 500 }))).toBe(false);
    expect(shrinkable(new QuotaError('q', d))).toBe(false);
  });

  it('rejects a bad pageSize', async () => {
    const { client } = stubClient(listing(items(1)));
    await expect(list(client, { pageSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe('request order under the concurrency limit', () => {
  /** Some event-loop turns: enough for the client to act on an answer (no clock involved). */
  async function turns(n = 20) {
    for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /**
   * Two listings on one client, one request at a time, each answer held for some turns (so
   * the client queues what an answer tells while the next request is out): `/long/` has 5
   * pages, `/short/` 3.
   */
  function twoListings() {
    const stubbed = stubClient(
      async (url) => {
        await turns();
        return listing(url.pathname.endsWith('/long/') ? items(500) : items(300), 100)(url);
      },
      { concurrency: 1 },
    );
    const order = () =>
      stubbed.calls.map((u) => `${u.pathname.split('/')[2]} ${u.searchParams.get('page')}`);
    const start = (path: string) =>
      stubbed.client.listAll(path, {}, { pageSize: 100, extract: data });
    return { ...stubbed, order, start };
  }

  it("serves first pages before bulk pages, and the longer listing's bulk first", async () => {
    const { order, start } = twoListings();
    await Promise.all([start('/short/'), start('/long/')]);
    // `short 2` goes while the long listing's first answer is read; from then on the long
    // listing's pages overtake the short one's.
    expect(order()).toEqual([
      'short 1',
      'long 1',
      'short 2',
      'long 2',
      'long 3',
      'long 4',
      'long 5',
      'short 3',
    ]);
  });

  it('lets a single request overtake bulk pages already waiting', async () => {
    const { client, calls, order, start } = twoListings();
    const long = start('/long/');
    while (calls.length < 2) await turns(1);
    await Promise.all([long, client.get('/short/', { page: 1 })]);
    expect(order().slice(0, 3)).toEqual(['long 1', 'long 2', 'short 1']);
  });
});
