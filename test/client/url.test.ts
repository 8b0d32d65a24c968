import { describe, expect, it } from 'vitest';
import { buildTarget, withTrailingSlash } from '../../src/core/client/url.ts';
import { json, stubClient, TOKEN } from './stub.ts';

const API = 'https://api.buttercms.com/v2';

describe('buildTarget', () => {
  it('always adds the trailing slash and puts the token last, outside the endpoint', () => {
    const t = buildTarget(API, '/pages/*', { levels: 1, locale: 'en' }, 'tok');
    expect(t.url).toBe('https://api.buttercms.com/v2/pages/*/?levels=1&locale=en&auth_token=tok');
    expect(t.endpoint).toBe('GET /v2/pages/*/?levels=1&locale=en');
    expect(buildTarget(API, 'posts', {}, 'tok').url).toBe(
      'https://api.buttercms.com/v2/posts/?auth_token=tok',
    );
    expect(buildTarget(`${API}/`, '/posts/', undefined, 'tok').endpoint).toBe('GET /v2/posts/');
  });

  it('true → 1, false and undefined left out, numbers as text', () => {
    const t = buildTarget(
      API,
      '/posts/',
      { preview: true, exclude_body: false, x: undefined, page: 2 },
      't',
    );
    expect(t.endpoint).toBe('GET /v2/posts/?preview=1&page=2');
  });

  it('keeps keys=a,b readable and encodes the rest', () => {
    const t = buildTarget(API, '/content/', { keys: 'faq,people', 'fields.name': 'A & B' }, 't');
    expect(t.endpoint).toBe('GET /v2/content/?keys=faq,people&fields.name=A%20%26%20B');
  });

  it('takes a path with its own query (params win) and reference URIs with the /v2 prefix', () => {
    const t = buildTarget(API, '/v2/content/?keys=faq[_id=1]&levels=2', { levels: 1 }, 't');
    expect(t.endpoint).toBe('GET /v2/content/?keys=faq%5B_id%3D1%5D&levels=1');
    expect(new URL(t.url).searchParams.get('keys')).toBe('faq[_id=1]');
    expect(buildTarget(API, '/v2/pages/landing/home', {}, 't').endpoint).toBe(
      'GET /v2/pages/landing/home/',
    );
  });

  it('never lets a caller-supplied auth_token into the endpoint; the real token wins', () => {
    const t = buildTarget(API, '/posts/?auth_token=leak', { auth_token: 'leak2' }, 'real');
    expect(t.endpoint).toBe('GET /v2/posts/');
    expect(new URL(t.url).searchParams.getAll('auth_token')).toEqual(['real']);
  });

  it('encodes the token', () => {
    expect(
      new URL(buildTarget(API, '/posts/', {}, 'a&b=c').url).searchParams.get('auth_token'),
    ).toBe('a&b=c');
  });

  it('works under a custom base path', () => {
    const t = buildTarget('http://127.0.0.1:9/proxy/v2', '/posts', {}, 't');
    expect(t.url).toBe('http://127.0.0.1:9/proxy/v2/posts/?auth_token=t');
  });
});

describe('withTrailingSlash', () => {
  it.each([
    ['/posts', '/posts/'],
    ['/posts/', '/posts/'],
    ['posts', '/posts/'],
    ['/content?keys=a', '/content/?keys=a'],
    ['/content/?keys=a', '/content/?keys=a'],
  ])('%s → %s', (input, output) => {
    expect(withTrailingSlash(input)).toBe(output);
  });
});

it('the client sends what buildTarget builds', async () => {
  const { client, calls } = stubClient(() => json({ data: [] }));
  await client.get('/pages/*', { levels: 1, alt_media_text: true });
  expect(calls[0]?.pathname).toBe('/v2/pages/*/');
  expect(calls[0]?.search).toBe(`?levels=1&alt_media_text=1&auth_token=${TOKEN}`);
});
