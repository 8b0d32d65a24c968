import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadRequestError,
  BadResponseError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  QuotaError,
  type RetryEvent,
  ServerError,
  sanitizeCause,
} from '../../src/core/client/index.ts';
import { apiFailure, errorTexts, json, stubClient, TOKEN } from './stub.ts';

const failure = (promise: Promise<unknown>) => apiFailure(promise);

describe('status mapping (no retries for client errors)', () => {
  const cases = [
    [401, 'Invalid token.', AuthError, 'AUTH', /rejected the API token/],
    [403, 'Invalid filter field', ForbiddenError, 'FORBIDDEN', /not allowed/],
    [404, 'Not found.', NotFoundError, 'NOT_FOUND', /404 Not Found/],
    [400, 'levels must be 1-5', BadRequestError, 'BAD_REQUEST', /request parameters/],
    [405, 'Method not allowed', BadRequestError, 'BAD_REQUEST', /405 Method Not Allowed/],
  ] as const;
  for (const [status, detail, Class, code, pattern] of cases) {
    it(`${status} → ${code}, naming endpoint, status and detail`, async () => {
      const { client, calls } = stubClient(() => json({ detail }, status));
      const error = await failure(client.get('/pages/landing/home', { levels: 1, locale: 'en' }));
      expect(error).toBeInstanceOf(Class);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.detail).toBe(detail);
      expect(error.endpoint).toBe('GET /v2/pages/landing/home/?levels=1&locale=en');
      expect(error.message).toContain('[buttercms] GET /v2/pages/landing/home/?levels=1&locale=en');
      expect(error.message).toContain(`"${detail}"`);
      expect(error.message).toMatch(pattern);
      expect(error.hint).toBeTruthy();
      expect(error.message).toContain(error.hint!);
      expect(calls).toHaveLength(1);
      expect(client.stats).toMatchObject({ requests: 1, retries: 0, failures: 1 });
    });
  }

  it('masks the token if the API echoes it in its detail', async () => {
    const { client } = stubClient(() => json({ detail: `Token ${TOKEN} is invalid.` }, 401));
    const error = await failure(client.get('/posts/'));
    expect(error.detail).toBe('Token *** is invalid.');
  });

  it('reads a non-JSON error body as a short excerpt', async () => {
    const { client } = stubClient(
      () => new Response('<html><body><h1>Not Found</h1></body></html>', { status: 404 }),
    );
    const error = await failure(client.get('/posts/x/'));
    expect(error.detail).toBe('Not Found');
  });
});

describe('429: the monthly quota', () => {
  it('waits a short Retry-After (through the injected sleep) and succeeds', async () => {
    let n = 0;
    const { client, sleeps } = stubClient(() =>
      n++ === 0 ? json({ detail: 'Throttled' }, 429, { 'retry-after': '3' }) : json({ data: [] }),
    );
    await expect(client.get('/posts/')).resolves.toEqual({ data: [] });
    expect(sleeps).toEqual([3000]);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, failures: 0 });
  });

  it('fails at once on a long Retry-After, naming the quota and the reset time', async () => {
    const { client, calls, sleeps } = stubClient(() =>
      json({ detail: 'Request was throttled.' }, 429, { 'retry-after': String(8 * 86_400) }),
    );
    const error = await failure(client.get('/posts/', { page: 1 }));
    expect(error).toBeInstanceOf(QuotaError);
    expect(error.code).toBe('QUOTA');
    expect(error.message).toContain('monthly API-call quota');
    expect(error.message).toContain('resets at 2026-11-30T10:00:00.000Z (in 8 days');
    expect(error.message).toContain('GET /v2/posts/?page=1');
    expect((error as QuotaError).resetAt?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('reads an HTTP-date Retry-After', async () => {
    const { client } = stubClient(() =>
      json({ detail: 'x' }, 429, { 'retry-after': 'Tue, 01 Dec 2026 00:00:00 GMT' }),
    );
    const error = (await failure(client.get('/posts/'))) as QuotaError;
    expect(error.retryAfter).toBe(8 * 86_400 + 14 * 3600);
    expect(error.message).toContain('resets at 2026-12-01T00:00:00.000Z');
  });

  it('fails at once without Retry-After, saying the reset time is unknown', async () => {
    const { client, calls, sleeps } = stubClient(() => json({ detail: 'x' }, 429));
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('QUOTA');
    expect(error.message).toContain('no Retry-After');
    expect(error.hint).toContain('billing month');
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('says so when retries are off (a short wait: a throttle)', async () => {
    const { client, calls } = stubClient(() => json({}, 429, { 'retry-after': '5' }), {
      retries: 0,
    });
    const error = await failure(client.get('/posts/'));
    expect(error.message).toContain(
      'asked to retry in 5 seconds (Retry-After), but retries are off',
    );
    expect(calls).toHaveLength(1);
  });

  it('gives up when a short Retry-After keeps coming back: a throttle, not the quota', async () => {
    const { client, calls, sleeps } = stubClient(() => json({}, 429, { 'retry-after': '1' }));
    const error = (await failure(client.get('/posts/'))) as QuotaError;
    expect(error.code).toBe('QUOTA');
    expect(error.throttled).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain(
      'ButterCMS is throttling the requests (a short Retry-After: not the monthly quota); it still refused after 3 attempts',
    );
    expect(error.message).not.toContain('monthly API-call quota is used up');
    expect(error.hint).toContain('concurrency');
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('calls a Retry-After of minutes a throttle, one of hours or more the quota', async () => {
    const answer = (seconds: number) =>
      stubClient(() => json({}, 429, { 'retry-after': String(seconds) })).client.get('/posts/');
    const minutes = (await failure(answer(300))) as QuotaError;
    expect(minutes.throttled).toBe(true);
    expect(minutes.message).toContain(
      'asked to wait 5 minutes (Retry-After), longer than maxRetryAfter = 60 s, so not waited for',
    );
    const hours = (await failure(answer(3 * 3600))) as QuotaError;
    expect(hours.throttled).toBe(false);
    expect(hours.message).toContain('monthly API-call quota is used up; it resets at');
  });
});

describe('5xx, network errors and bad bodies are retried', () => {
  it('retries a 5xx with backoff and succeeds', async () => {
    let n = 0;
    const events: RetryEvent[] = [];
    const { client, sleeps } = stubClient(
      () => (n++ < 2 ? json({ detail: 'boom' }, 503) : json({ data: { slug: 'x' } })),
      { onRetry: (e) => events.push(e) },
    );
    await expect(client.get('/pages/*/x')).resolves.toEqual({ data: { slug: 'x' } });
    expect(sleeps).toEqual([375, 750]);
    expect(events.map((e) => [e.attempt, e.delay, e.error.code, e.endpoint])).toEqual([
      [1, 375, 'SERVER', 'GET /v2/pages/*/x/'],
      [2, 750, 'SERVER', 'GET /v2/pages/*/x/'],
    ]);
    expect(client.stats).toMatchObject({ requests: 3, retries: 2, failures: 0 });
  });

  it('names endpoint, status and attempts when 5xx retries run out', async () => {
    const { client, calls } = stubClient(() => json({ detail: 'Server Error' }, 500));
    const error = await failure(client.get('/posts/', { page: 2 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain(
      'GET /v2/posts/?page=2 → 500 Internal Server Error after 3 attempts: "Server Error"',
    );
    expect(calls).toHaveLength(3);
    expect(client.stats).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it('honours a short Retry-After on a 503', async () => {
    let n = 0;
    const { client, sleeps } = stubClient(() =>
      n++ === 0 ? json({}, 503, { 'retry-after': '2' }) : json({ data: [] }),
    );
    await client.get('/posts/');
    expect(sleeps).toEqual([2000]);
  });

  it('retries a network error; the cause chain is sanitized', async () => {
    const { client } = stubClient(() => {
      const low = Object.assign(
        new Error(`connect ECONNRESET https://api.example.test/v2/posts/?auth_token=${TOKEN}`),
        { code: 'ECONNRESET' },
      );
      throw new TypeError('fetch failed', { cause: low });
    });
    const error = await failure(client.get('/posts/'));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('could not reach api.example.test (ECONNRESET)');
    expect(error.attempts).toBe(3);
    const cause = error.cause as Error;
    expect(cause.message).toBe('fetch failed');
    expect((cause.cause as Error).message).toContain('auth_token=***');
    expect((cause.cause as Error & { code: string }).code).toBe('ECONNRESET');
  });

  it('retries invalid JSON with 200, then reports BAD_RESPONSE', async () => {
    const { client, calls } = stubClient(
      () =>
        new Response('{"data": [1, 2', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const error = await failure(client.get('/posts/'));
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).malformed).toBe(true);
    expect(error.message).toContain('truncated JSON');
    expect(calls).toHaveLength(3);
  });

  it('an HTML 200 (a proxy page) is retried and then named', async () => {
    const { client } = stubClient(
      () =>
        new Response('<!doctype html><p>captive portal</p>', {
          headers: { 'content-type': 'text/html' },
        }),
    );
    const error = await failure(client.get('/posts/'));
    expect(error.message).toContain('an HTML/XML page instead of JSON (text/html)');
    // Not a body cut short on the way: no word of the API's 10 MB limit or of `pageSize`.
    expect(error.hint).toContain('This is not a ButterCMS Read API answer');
    expect(error.hint).not.toMatch(/10 MB|pageSize/);
  });

  it('JSON nested thousands of levels deep is refused at once, before any stage walks it', async () => {
    const deep = `{"data":[{"slug":"x","fields":{"a":${'['.repeat(3000)}${']'.repeat(3000)}}}]}`;
    const { client, calls } = stubClient(() => new Response(deep, { status: 200 }));
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('the body is JSON nested deeper than 256 levels');
    expect(error.message).not.toMatch(/call stack|no item list/);
    expect(error.hint).toContain('This is not a ButterCMS Read API answer');
    expect(calls).toHaveLength(1);
  });
});

describe('bodies past maxResponseBytes, through a `fetch`', () => {
  it('stops reading a body that never ends', async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
      );
    const { client, calls } = stubClient(endless, { maxResponseBytes: 1 << 20 });
    const error = await failure(client.get('/posts/'));
    expect(error.message).toContain('larger than maxResponseBytes (1048576 bytes');
    expect(calls).toHaveLength(1);
    expect(pulled).toBeLessThan(40);
  });

  it('refuses a declared Content-Length past the cap without reading', async () => {
    const { client } = stubClient(
      () => new Response('{"data": []}', { headers: { 'content-length': String(2 ** 30) } }),
      { maxResponseBytes: 1 << 20 },
    );
    expect((await failure(client.get('/posts/'))).code).toBe('BAD_RESPONSE');
  });
});

describe('the retry budget of a whole client', () => {
  it('stops retrying a server that keeps failing, and says so', async () => {
    const { client, calls } = stubClient(() => json({ detail: 'boom' }, 500), { retries: 12 });
    await failure(client.get('/posts/'));
    expect(calls).toHaveLength(13);
    // 20 retries in reserve and no answer that succeeded: 8 left for the next request.
    const error = await failure(client.get('/pages/*/'));
    expect(error.code).toBe('SERVER');
    expect(error.attempts).toBe(9);
    expect(calls).toHaveLength(22);
    expect(error.message).toContain(
      'The sync stopped retrying: its retry budget is spent (20 retries made; it allows 20, 2 after timeouts, and more as answers succeed).',
    );
    expect((await failure(client.get('/tags/'))).attempts).toBe(1);
  });

  it('keeps earning retries while most answers succeed', async () => {
    let n = 0;
    // Every tenth answer fails: 1,000 requests need about 110 retries, far past the reserve.
    const { client } = stubClient(() => (n++ % 10 === 9 ? json({}, 503) : json({ data: [] })));
    for (let i = 0; i < 1000; i++) await client.get('/posts/', { i });
    expect(client.stats.retries).toBeGreaterThan(100);
    expect(client.stats.failures).toBe(0);
  });

  it('allows only a few retries after timeouts: a server that never answers costs `timeout` each', async () => {
    const { client, calls } = stubClient(
      (_url, init) =>
        new Promise((_, reject) => {
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('x', 'AbortError')),
          );
        }),
      { timeout: 10, retries: 20 },
    );
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('TIMEOUT');
    expect(calls).toHaveLength(3);
    expect(error.message).toContain('2 after timeouts');
  });
});

describe('broken bodies and timeouts', () => {
  it('a connection that breaks mid-body is NETWORK, marked incomplete, and retried', async () => {
    let n = 0;
    const { client, calls } = stubClient(() => {
      if (n++ > 0) return json({ data: [] });
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"data": ['));
          controller.error(Object.assign(new Error('terminated'), { code: 'UND_ERR_SOCKET' }));
        },
      });
      return new Response(stream, { status: 200 });
    });
    await expect(client.get('/posts/')).resolves.toEqual({ data: [] });
    expect(calls).toHaveLength(2);

    const broken = stubClient(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.error(new Error('terminated'));
            },
          }),
        ),
      { retries: 0 },
    );
    const error = (await failure(broken.client.get('/posts/'))) as NetworkError;
    expect(error.incomplete).toBe(true);
    expect(error.message).toContain('the connection broke while reading the response');
  });

  it('an answer later than the timeout is TIMEOUT (the fetch is aborted)', async () => {
    let aborted = 0;
    const { client } = stubClient(
      (_url, init) =>
        new Promise((_, reject) => {
          init?.signal?.addEventListener('abort', () => {
            aborted++;
            reject(new DOMException('This operation was aborted', 'AbortError'));
          });
        }),
      { timeout: 20, retries: 1 },
    );
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.attempts).toBe(2);
    expect(aborted).toBe(2);
  });

  it('a throwing onRetry listener does not change the outcome', async () => {
    let n = 0;
    const { client } = stubClient(() => (n++ === 0 ? json({}, 500) : json({ data: [] })), {
      onRetry: () => {
        throw new Error('listener bug');
      },
    });
    await expect(client.get('/posts/')).resolves.toEqual({ data: [] });
  });
});

describe('envelope validation', () => {
  it.each([
    [{ pages: [] }, 'without the `data` envelope (keys: pages)'],
    [[1, 2], 'a JSON array'],
    ['hello', 'a JSON string'],
    [{ data: null }, '`data` is null'],
    [{ data: [], meta: 'x' }, '`meta` is not an object'],
    [{ data: [], meta: { count: -1 } }, '`meta.count` is -1'],
    [{ data: [], meta: { count: 1, next_page: '2' } }, '`meta.next_page` is "2"'],
  ])('%j → BAD_RESPONSE, not retried', async (body, problem) => {
    const { client, calls } = stubClient(() => json(body));
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect((error as BadResponseError).malformed).toBe(false);
    expect(error.message).toContain(problem);
    expect(error.hint).toContain('apiUrl');
    expect(calls).toHaveLength(1);
  });

  it('accepts the bare {} of /content/ without keys and string data of feeds', async () => {
    const { client } = stubClient((url) =>
      url.pathname.includes('feeds') ? json({ data: '<?xml version="1.0"?><rss/>' }) : json({}),
    );
    await expect(client.get('/content/')).resolves.toEqual({});
    await expect(client.get('/feeds/rss')).resolves.toEqual({
      data: '<?xml version="1.0"?><rss/>',
    });
  });

  it('does not follow redirects (each costs a call); names the target without the token', async () => {
    const { client, calls } = stubClient(
      () =>
        new Response(null, {
          status: 301,
          headers: { location: `https://api2.example.test/v2/posts/?auth_token=${TOKEN}` },
        }),
    );
    const error = await failure(client.get('/posts/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('301 redirect to https://api2.example.test/v2/posts/');
    expect(calls).toHaveLength(1);
  });
});

describe('caller abort', () => {
  it('is passed through and never retried', async () => {
    const controller = new AbortController();
    const { client, calls } = stubClient((_url, init) => {
      controller.abort(new Error('stop'));
      return new Promise((_, reject) => {
        if (init?.signal?.aborted) reject(init.signal.reason);
      });
    });
    await expect(client.get('/posts/', {}, { signal: controller.signal })).rejects.toThrow('stop');
    expect(calls).toHaveLength(1);
    await expect(client.get('/posts/', {}, { signal: controller.signal })).rejects.toThrow('stop');
    expect(calls).toHaveLength(1);
    expect(client.stats.failures).toBe(0);
  });

  it('stops a listing without shrinking it', async () => {
    const controller = new AbortController();
    const { client, calls } = stubClient((_url, init) => {
      controller.abort(new Error('stop'));
      return new Promise((_, reject) => {
        if (init?.signal?.aborted) reject(init.signal.reason);
      });
    });
    await expect(
      client.listAll(
        '/posts/',
        {},
        {
          pageSize: 100,
          extract: (b) => b.data as never[],
          signal: controller.signal,
        },
      ),
    ).rejects.toThrow('stop');
    expect(calls).toHaveLength(1);
  });

  it('interrupts a backoff wait', async () => {
    const controller = new AbortController();
    const { client, calls } = stubClient(() => json({}, 500), {
      sleep: () => {
        controller.abort(new Error('cancelled'));
        return new Promise(() => {});
      },
    });
    await expect(client.get('/posts/', {}, { signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
    expect(calls).toHaveLength(1);
  });
});

describe('sanitizeCause', () => {
  it('copies name, message, code and stack with the token masked, dropping nothing else', () => {
    const inner = Object.assign(new Error(`bad ${TOKEN}`), { code: 'EX' });
    const outer = new TypeError(`fetch https://x/?auth_token=${TOKEN}`, { cause: inner });
    const copy = sanitizeCause(outer, TOKEN)!;
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe('fetch https://x/?auth_token=***');
    expect((copy.cause as Error & { code: string }).code).toBe('EX');
    for (const text of errorTexts(copy)) expect(text).not.toContain(TOKEN);
    expect(sanitizeCause('plain', TOKEN)?.message).toBe('plain');
    expect(sanitizeCause(undefined, TOKEN)).toBeUndefined();
  });
});
