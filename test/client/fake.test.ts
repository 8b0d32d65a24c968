/**
 * Every fault path of the client against the fake ButterCMS server. Waits go through an
 * injected sleep (recorded, not slept); only the timeout cases use the real clock, with
 * latencies far beyond the timeout. No timing assertions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import {
  type ApiError,
  type ButterClient,
  type ClientOptions,
  createClient,
  type RetryEvent,
} from '../../src/core/client/index.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { apiFailure, errorTexts } from './stub.ts';

let fake: FakeButter;
/** Every error, retry event and message seen, checked for the token at the end. */
const seen: string[] = [];

beforeAll(async () => {
  fake = await startFakeButter({
    account: 'generated:pages=60,posts=345,items=230,drafts=0,seed=3',
  });
});
afterAll(async () => {
  for (const text of seen) expect(text).not.toContain(fake.token);
  await fake?.close();
});
beforeEach(() => {
  fake.setFaults({});
  fake.resetLog();
});

interface Harness {
  client: ButterClient;
  sleeps: number[];
  events: RetryEvent[];
}

function client(options: Partial<ClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const events: RetryEvent[] = [];
  const c = createClient({
    token: fake.token,
    apiUrl: fake.apiUrl,
    concurrency: 4,
    timeout: 10_000,
    retries: 3,
    maxRetryAfter: 60,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (event) => {
      events.push(event);
      seen.push(...errorTexts(event.error), event.endpoint);
    },
    ...options,
  });
  return { client: c, sleeps, events };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await apiFailure(promise, fake.token);
  seen.push(...errorTexts(error));
  return error;
}

const firstType = () => fake.account.pages.find((p) => p.pageType)!.pageType!;
const collectionKey = () =>
  Object.entries(fake.account.collections).sort((a, b) => b[1].length - a[1].length)[0]![0];
const data = (b: JsonObject) => b.data as JsonObject[];

/** What the server says the listing holds (one uncounted request; the log is reset after). */
async function countOf(path: string): Promise<number> {
  const body = await client().client.get(path, { page_size: 1 });
  fake.resetLog();
  return (body.meta as JsonObject).count as number;
}

/** Waits until requests the client gave up on (timeouts) have finished on the server too. */
async function settled(entries: number): Promise<void> {
  await vi.waitFor(() => expect(fake.log.length).toBe(entries), { timeout: 8000, interval: 20 });
}

describe('against the fake server: answers', () => {
  it('gets a listing with the trailing slash added; one request, counted', async () => {
    const { client: c } = client();
    const body = await c.get('/posts', { page_size: 3 });
    expect((body.data as JsonObject[]).length).toBe(3);
    expect(fake.log.map((e) => [e.path, e.query, e.status])).toEqual([
      ['/v2/posts/', 'page_size=3', 200],
    ]);
    expect(c.stats.requests).toBe(1);
    expect(c.stats.bytes).toBe(fake.log[0]!.bytes);
  });

  it('401 with a wrong or a missing token names the endpoint, never the token', async () => {
    const wrong = await failure(client({ token: 'wrong-token' }).client.get('/posts/'));
    expect(wrong.code).toBe('AUTH');
    expect(wrong.status).toBe(401);
    expect(wrong.detail).toBe('Invalid token.');
    expect(wrong.message).toContain('GET /v2/posts/ → 401 Unauthorized: "Invalid token."');
    expect(wrong.message).not.toContain('wrong-token');
    const missing = await failure(client({ token: '' }).client.get('/posts/'));
    expect(missing.code).toBe('AUTH');
    expect(missing.detail).toMatch(/credentials were not provided/);
    expect(fake.log).toHaveLength(2);
  });

  it('404 for an unknown page type', async () => {
    const error = await failure(client().client.get('/pages/no-such-type/', { levels: 1 }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.endpoint).toBe('GET /v2/pages/no-such-type/?levels=1');
    expect(fake.log).toHaveLength(1);
  });

  it('400 for levels out of range', async () => {
    const error = await failure(client().client.get(`/pages/${firstType()}/`, { levels: 9 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.status).toBe(400);
    expect(error.message).toContain('levels=9');
    expect(fake.log).toHaveLength(1);
  });

  it('403 for ordering by a field that does not exist', async () => {
    const error = await failure(
      client().client.get(`/content/${collectionKey()}/`, { order: 'no_such_field' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.detail).toContain('no_such_field');
    expect(fake.log).toHaveLength(1);
  });

  it('accepts the bare {} of /content/ without keys and the string data of feeds', async () => {
    const { client: c } = client();
    await expect(c.get('/content/')).resolves.toEqual({});
    const feed = await c.get('/feeds/rss/');
    expect(typeof feed.data).toBe('string');
  });
});

describe('against the fake server: 429 (monthly quota)', () => {
  it('waits a short Retry-After through the injected sleep, then succeeds', async () => {
    fake.setFaults({ script: ['429'], retryAfter: 2 });
    const { client: c, sleeps } = client();
    await c.get('/posts/', { page_size: 1 });
    expect(sleeps).toEqual([2000]);
    expect(fake.log.map((e) => e.status)).toEqual([429, 200]);
    expect(c.stats).toMatchObject({ requests: 2, retries: 1, failures: 0 });
  });

  it('fails at once on a Retry-After pointing at the monthly reset', async () => {
    fake.setFaults({ script: ['429'], retryAfter: 9 * 86_400 });
    const { client: c, sleeps } = client();
    const error = await failure(c.get('/posts/'));
    expect(error.code).toBe('QUOTA');
    expect(error.message).toContain('monthly API-call quota is used up');
    expect(error.message).toMatch(/resets at \d{4}-\d\d-\d\dT.* \(in 9 days/);
    expect(sleeps).toEqual([]);
    expect(fake.log).toHaveLength(1);
  });

  it('fails at once on an HTTP-date Retry-After far away', async () => {
    const reset = new Date(Date.now() + 20 * 86_400_000).toUTCString();
    fake.setFaults({ script: ['429'], retryAfter: reset });
    const error = await failure(client().client.get('/posts/'));
    expect(error.message).toContain('(in 20 days');
    expect(fake.log).toHaveLength(1);
  });

  it('fails at once without Retry-After', async () => {
    fake.setFaults({ script: [{ status: 429, body: '{"detail": "Request was throttled."}' }] });
    const { client: c, sleeps } = client();
    const error = await failure(c.get('/posts/'));
    expect(error.code).toBe('QUOTA');
    expect(error.message).toContain('no Retry-After');
    expect(sleeps).toEqual([]);
    expect(fake.log).toHaveLength(1);
  });
});

describe('against the fake server: retried faults', () => {
  it('5xx retried with backoff, then success', async () => {
    fake.setFaults({ script: ['500', '502-html'] });
    const { client: c, sleeps, events } = client();
    await c.get('/posts/');
    expect(fake.log.map((e) => e.status)).toEqual([500, 502, 200]);
    expect(sleeps).toEqual([375, 750]);
    expect(events.map((e) => e.error.status)).toEqual([500, 502]);
    expect(c.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('503 honours its short Retry-After', async () => {
    fake.setFaults({ script: ['503'] });
    const { client: c, sleeps } = client();
    await c.get('/posts/');
    expect(sleeps).toEqual([1000]);
  });

  it('5xx exhausted: names endpoint, status and attempts, without the token', async () => {
    fake.setFaults({ script: ['500', '500', '500', '500'] });
    const { client: c } = client();
    const error = await failure(c.get('/posts/', { page: 2, page_size: 5 }));
    expect(error.code).toBe('SERVER');
    expect(error.status).toBe(500);
    expect(error.attempts).toBe(4);
    expect(error.message).toContain(
      'GET /v2/posts/?page=2&page_size=5 → 500 Internal Server Error after 4 attempts: "A server error occurred."',
    );
    expect(fake.log).toHaveLength(4);
    expect(c.stats).toMatchObject({ requests: 4, retries: 3, failures: 1 });
  });

  it('an HTML 502 page becomes a short detail', async () => {
    fake.setFaults({ rate5xx: 1, match: 'page_size=7', script: ['502-html', '502-html'] });
    const error = await failure(client({ retries: 1 }).client.get('/posts/', { page_size: 7 }));
    expect(error.status).toBe(502);
    expect(error.detail).toBe('502 Bad Gateway 502 Bad Gateway');
    expect(error.message).not.toContain('<html>');
  });

  it('a dropped connection is retried, and named when it persists', async () => {
    fake.setFaults({ script: ['drop'] });
    const { client: c, events } = client();
    await c.get('/posts/');
    expect(events[0]?.error.code).toBe('NETWORK');
    expect(fake.log).toHaveLength(2);

    fake.setFaults({ dropRate: 1 });
    fake.resetLog();
    const error = await failure(client({ retries: 2 }).client.get('/posts/'));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/GET \/v2\/posts\/ failed after 3 attempts: /);
    expect(error.cause).toBeInstanceOf(Error);
    expect(fake.log).toHaveLength(3);
  });

  it('truncated and invalid JSON with 200 are retried', async () => {
    fake.setFaults({ script: ['truncate', 'invalid-json'] });
    const { client: c, events } = client();
    const body = await c.get('/posts/', { page_size: 2 });
    expect((body.data as JsonObject[]).length).toBe(2);
    expect(events.map((e) => e.error.code)).toEqual(['BAD_RESPONSE', 'BAD_RESPONSE']);
    expect(events[0]?.error.message).toContain('truncated JSON');
    expect(events[1]?.error.message).toContain('invalid JSON');
  });

  it('persistently truncated bodies end in BAD_RESPONSE', async () => {
    fake.setFaults({ truncateRate: 1 });
    const error = await failure(client({ retries: 1 }).client.get('/posts/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.attempts).toBe(2);
  });

  it('a JSON body without the data envelope fails at once', async () => {
    fake.setFaults({ script: [{ status: 200, body: '{"pages": []}' }] });
    const error = await failure(client().client.get('/posts/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('without the `data` envelope');
    expect(fake.log).toHaveLength(1);
  });

  it('times out when the answer is later than the timeout (headers)', async () => {
    fake.setFaults({ latencyMs: 1500 });
    const error = await failure(client({ timeout: 100, retries: 1 }).client.get('/posts/'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('no complete response within 100 ms after 2 attempts');
    await settled(2);
  });

  it('times out when the body is slower than the timeout', async () => {
    fake.setFaults({ slowBodyMs: 2000 });
    const { client: c } = client({ timeout: 150, retries: 0 });
    const error = await failure(c.get('/posts/', { page_size: 50 }));
    expect(error.code).toBe('TIMEOUT');
    expect(c.stats.requests).toBe(1);
    await settled(1);
  });
});

describe('against the fake server: listAll', () => {
  let posts = 0;
  beforeEach(async () => {
    posts = await countOf('/posts/');
  });

  it('asks for 250, gets 100 per page, fetches the rest in parallel: ceil(count/100) requests', async () => {
    const { client: c } = client();
    const result = await c.listAll(
      '/posts/',
      { exclude_body: 'true' },
      { pageSize: 250, extract: data },
    );
    const count = posts;
    expect(result.items).toHaveLength(count);
    expect(new Set(result.items.map((p) => p.slug)).size).toBe(count);
    expect(result.requests).toBe(Math.ceil(count / 100));
    expect(fake.log).toHaveLength(result.requests);
    expect(fake.log.every((e) => e.query.includes('page_size=250'))).toBe(true);
    expect(fake.log.map((e) => new URLSearchParams(e.query).get('page')).sort()).toEqual(
      ['1', '2', '3', '4'].slice(0, Math.ceil(count / 100)),
    );
  });

  it('collections: items under data[key]', async () => {
    const key = collectionKey();
    const { client: c } = client();
    const result = await c.listAll(
      `/content/${key}/`,
      { levels: 1 },
      {
        pageSize: 40,
        extract: (b) => (b.data as JsonObject)[key] as JsonObject[],
      },
    );
    expect(result.items).toHaveLength(await countOf(`/content/${key}/`));
    expect(result.requests).toBe(Math.ceil(result.items.length / 40));
  });

  it('halves the page size when pages keep arriving cut off', async () => {
    fake.setFaults({ truncateRate: 1, match: /page_size=(250|125)\b/ });
    const { client: c } = client({ retries: 1 });
    const result = await c.listAll(
      '/posts/',
      { exclude_body: 'true' },
      { pageSize: 250, extract: data },
    );
    expect(result.pageSize).toBe(62);
    expect(result.items).toHaveLength(posts);
    // 2 attempts at 250, 2 at 125, then pages of the honoured 62.
    expect(result.requests).toBe(4 + Math.ceil(posts / 62));
    expect(c.stats.requests).toBe(fake.log.length);
  });

  it('request counting includes retries and matches the server log', async () => {
    fake.setFaults({ seed: 11, rate5xx: 0.2, truncateRate: 0.1, dropRate: 0.05 });
    const { client: c } = client({ retries: 8 });
    const result = await c.listAll(
      '/posts/',
      { exclude_body: 'true' },
      { pageSize: 20, extract: data },
    );
    expect(result.items).toHaveLength(posts);
    expect(c.stats.requests).toBe(fake.log.length);
    expect(result.requests).toBe(fake.log.length);
    expect(c.stats.retries).toBe(fake.log.length - Math.ceil(posts / 20));
    expect(c.stats.retries).toBeGreaterThan(0);
  });

  it('never has more requests in flight than the concurrency limit', async () => {
    fake.setFaults({ latencyMs: 20 });
    let inFlight = 0;
    let max = 0;
    const counting = (async (input: string | URL | Request, init?: RequestInit) => {
      inFlight++;
      max = Math.max(max, inFlight);
      try {
        const response = await fetch(input, init);
        const bytes = await response.arrayBuffer();
        return new Response(bytes, { status: response.status, headers: response.headers });
      } finally {
        inFlight--;
      }
    }) as typeof fetch;
    const { client: c } = client({ concurrency: 3, fetch: counting });
    const [a, b] = await Promise.all([
      c.listAll('/posts/', { exclude_body: 'true' }, { pageSize: 25, extract: data }),
      c.listAll(`/pages/${firstType()}/`, {}, { pageSize: 5, extract: data }),
      c.get('/authors/'),
      c.get('/tags/'),
    ]);
    expect(a.items).toHaveLength(posts);
    expect(b.items.length).toBeGreaterThan(0);
    expect(max).toBe(3);
  });
});
