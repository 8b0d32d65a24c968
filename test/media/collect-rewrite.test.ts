import { describe, expect, it } from 'vitest';
import { collectMediaUrls, mediaUrlsOf } from '../../src/core/media/collect.ts';
import {
  rewriteMediaUrls,
  rewriteMediaUrlsInPlace,
  rewriteString,
} from '../../src/core/media/rewrite.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { DEFAULT_MEDIA_HOSTS } from '../../src/core/options.ts';
import { deepFreeze, makeContent } from './content.ts';

const CDN = 'https://cdn.buttercms.com';
const hosts = DEFAULT_MEDIA_HOSTS;

function sample() {
  const home: JsonObject = {
    slug: 'home',
    name: 'Home',
    page_type: 'landing-page',
    fields: {
      hero: { url: `${CDN}/hero`, alt: 'Hero' },
      thumb: { url: `${CDN}/resize=width:100,height:100/hero` },
      empty: '',
      nothing: null,
      plain: `${CDN}/plain`,
      other: 'https://example.com/not-media.png',
      link: '/v2/pages/landing-page/about/',
      body: `<p>Hi <img src="${CDN}/inline" srcset="${CDN}/resize=width:480/inline 480w, ${CDN}/resize=width:960/inline 960w"></p>`,
      sections: [{ type: 'gallery', fields: { images: [{ url: `${CDN}/hero`, alt: '' }] } }],
      'odd key': `${CDN}/odd`,
    },
  };
  const post: JsonObject = {
    slug: 'hello',
    featured_image: 'https://d2wzhk7xhrnk1x.cloudfront.net/abc_pic.jpg',
    body: `<p><a href="https://d2devwt40at1e2.cloudfront.net/api/file/DOC">pdf</a></p>`,
    author: { slug: 'ann', profile_image: `${CDN}/ann` },
  };
  return makeContent({
    locale: 'fr',
    pages: { 'landing-page': [home] },
    collections: { faq: [{ meta: { id: 12 }, icon: `${CDN}/icon` }] },
    posts: [post],
    authors: [{ slug: 'ann', profile_image: `${CDN}/ann` }],
    probes: {
      embedded: [
        {
          entity: { kind: 'page', pageType: 'landing-page', slug: 'home' },
          locale: 'fr',
          body: { data: { fields: { related: { fields: { image: { url: `${CDN}/deep` } } } } } },
        },
      ],
    },
  });
}

describe('collectMediaUrls', () => {
  it('finds media everywhere, with entity and JSON path, in first-use order', () => {
    const uses = collectMediaUrls(sample(), hosts);
    const home = { entity: 'page landing-page/home', locale: 'fr', probe: false };
    expect([...uses.keys()]).toEqual([
      `${CDN}/hero`,
      `${CDN}/resize=width:100,height:100/hero`,
      `${CDN}/plain`,
      `${CDN}/inline`,
      `${CDN}/resize=width:480/inline`,
      `${CDN}/resize=width:960/inline`,
      `${CDN}/odd`,
      `${CDN}/icon`,
      'https://d2wzhk7xhrnk1x.cloudfront.net/abc_pic.jpg',
      'https://d2devwt40at1e2.cloudfront.net/api/file/DOC',
      `${CDN}/ann`,
      `${CDN}/deep`,
    ]);
    expect(uses.get(`${CDN}/hero`)).toEqual([
      { ...home, field: 'fields.hero.url' },
      { ...home, field: 'fields.sections[0].fields.images[0].url' },
    ]);
    expect(uses.get(`${CDN}/odd`)).toEqual([{ ...home, field: 'fields["odd key"]' }]);
    expect(uses.get(`${CDN}/resize=width:960/inline`)).toEqual([{ ...home, field: 'fields.body' }]);
    expect(uses.get(`${CDN}/icon`)).toEqual([
      { entity: 'item faq/12', locale: 'fr', field: 'icon', probe: false },
    ]);
    expect(uses.get(`${CDN}/ann`)).toEqual([
      { entity: 'post hello', locale: null, field: 'author.profile_image', probe: false },
      { entity: 'author ann', locale: null, field: 'profile_image', probe: false },
    ]);
    expect(uses.get(`${CDN}/deep`)).toEqual([
      {
        entity: 'probe page landing-page/home',
        locale: 'fr',
        field: 'data.fields.related.fields.image.url',
        probe: true,
      },
    ]);
  });

  it('lists a use once per entity and field, however often the field names the URL', () => {
    const img = `<img src="${CDN}/x">`;
    const content = makeContent({
      posts: [
        { slug: 'a', body: `${img}<p>again</p>${img}<img srcset="${CDN}/x 2x">`, other: img },
        { slug: 'b', body: img },
      ],
    });
    expect(collectMediaUrls(content, hosts).get(`${CDN}/x`)).toEqual([
      { entity: 'post a', locale: null, field: 'body', probe: false },
      { entity: 'post a', locale: null, field: 'other', probe: false },
      { entity: 'post b', locale: null, field: 'body', probe: false },
    ]);
  });

  it('only keeps configured hosts (host:port entries match that port only)', () => {
    const content = makeContent({
      posts: [
        {
          slug: 'p',
          a: 'http://127.0.0.1:4000/x',
          b: 'http://127.0.0.1:4001/x',
          c: 'http://127.0.0.1/x',
          d: 'http://169.254.169.254/latest/meta-data/',
          e: 'https://user:pw@cdn.buttercms.com/x',
          f: 'ftp://cdn.buttercms.com/x',
          g: `${CDN}/ok`,
        },
      ],
    });
    expect([...collectMediaUrls(content, ['127.0.0.1:4000', 'CDN.ButterCMS.com']).keys()]).toEqual([
      'http://127.0.0.1:4000/x',
      `${CDN}/ok`,
    ]);
    expect([...collectMediaUrls(content, []).keys()]).toEqual([]);
  });

  it('gives the places of the URLs asked for only, every URL still listed in order', () => {
    const all = collectMediaUrls(sample(), hosts);
    const some = collectMediaUrls(sample(), hosts, undefined, new Set([`${CDN}/hero`]));
    expect([...some.keys()]).toEqual([...all.keys()]);
    expect(some.get(`${CDN}/hero`)).toEqual(all.get(`${CDN}/hero`));
    expect(some.get(`${CDN}/plain`)).toEqual([]);
  });

  it('mediaUrlsOf: the same URLs, and the entities holding them (what the rewrite visits)', () => {
    const content = sample();
    const { urls, holders } = mediaUrlsOf(content, hosts);
    expect([...urls]).toEqual([...collectMediaUrls(content, hosts).keys()]);
    const home = content.locales[0]!.pageTypes['landing-page']![0]!;
    const faq = content.locales[0]!.collections.faq![0]!;
    expect(holders.has(home)).toBe(true);
    expect(holders.has(faq)).toBe(true);
    expect(holders.has(content.blog.authors[0]!)).toBe(true);
    expect(holders.has(content.probes.embedded[0]!.body)).toBe(true);
    const plain = makeContent({
      posts: [{ slug: 'a', featured_image: `${CDN}/a` }, { slug: 'b' }],
    });
    expect([...mediaUrlsOf(plain, hosts).holders]).toEqual([plain.blog.posts[0]]);
  });

  it('is pure: frozen input, same answer twice', () => {
    const content = deepFreeze(sample());
    const before = JSON.stringify(content);
    const a = collectMediaUrls(content, hosts);
    const b = collectMediaUrls(content, hosts);
    expect(a).toEqual(b);
    expect(JSON.stringify(content)).toBe(before);
  });

  it('tallies by host the media URLs other hosts leave remote, as adding the host would fetch', () => {
    const home: JsonObject = {
      slug: 'home',
      fields: {
        media: { url: 'https://img.example/a.png', alt: 'A' },
        // A repeater of links: the media probe answers it as objects, so it is content.
        links: [{ url: 'https://site.example/x' }],
        text: 'https://plain.example/p.png',
        body: '<img src="https://img.example/b.png"><a href="https://img.example/doc.pdf">d</a><a href="https://site.example/page">p</a><iframe src="https://video.example/embed/1"></iframe>',
      },
    };
    const probeCopy = {
      ...home,
      fields: { ...(home.fields as JsonObject), media: 'https://img.example/a.png' },
    };
    const content = makeContent({
      pages: { 'landing-page': [home] },
      posts: [{ slug: 'p', featured_image: 'https://blog.example/f.jpg', body: '' }],
      probes: {
        embedded: [
          {
            entity: { kind: 'page', pageType: 'landing-page', slug: 'home' },
            locale: null,
            body: { data: { fields: { copy: { url: 'https://probe.example/x', alt: '' } } } },
          },
        ],
        media: [
          {
            listing: { kind: 'page', pageType: 'landing-page' },
            locale: null,
            body: { data: [probeCopy] },
          },
        ],
      },
    });
    const remote = new Map<string, Set<string>>();
    collectMediaUrls(content, hosts, remote);
    expect(Object.fromEntries([...remote].map(([host, urls]) => [host, [...urls].sort()]))).toEqual(
      {
        'img.example': [
          'https://img.example/a.png',
          'https://img.example/b.png',
          'https://img.example/doc.pdf',
        ],
        'blog.example': ['https://blog.example/f.jpg'],
      },
    );
  });

  it('is __proto__-safe (keys and URLs)', () => {
    const page = JSON.parse(
      `{"slug":"x","fields":{"__proto__":{"url":"${CDN}/proto"},"constructor":"${CDN}/__proto__"}}`,
    );
    const pages = JSON.parse('{"__proto__":[]}');
    Object.getOwnPropertyDescriptor(pages, '__proto__')!.value.push(page);
    const content = makeContent({ pages });
    const uses = collectMediaUrls(content, hosts);
    expect([...uses.keys()]).toEqual([`${CDN}/proto`, `${CDN}/__proto__`]);
    expect(uses.get(`${CDN}/proto`)).toEqual([
      { entity: 'page __proto__/x', locale: null, field: 'fields.__proto__.url', probe: false },
    ]);
  });
});

describe('rewriteMediaUrls', () => {
  const map = new Map([
    [`${CDN}/hero`, '/buttercms/h.jpg'],
    [`${CDN}/resize=width:100,height:100/hero`, '/buttercms/t.jpg'],
    [`${CDN}/inline`, '/buttercms/i.png'],
    [`${CDN}/resize=width:480/inline`, '/buttercms/i480.png'],
    [`${CDN}/resize=width:960/inline`, '/buttercms/i960.png'],
    ['https://d2devwt40at1e2.cloudfront.net/api/file/DOC', '/buttercms/d.pdf'],
    [`${CDN}/ann`, '/buttercms/a.webp'],
    [`${CDN}/deep`, '/buttercms/deep.gif'],
  ]);

  it('replaces mapped URLs everywhere and leaves the rest', () => {
    const out = rewriteMediaUrls(sample(), map);
    const home = out.locales[0]!.pageTypes['landing-page']![0]!.fields as JsonObject;
    expect(home.hero).toEqual({ url: '/buttercms/h.jpg', alt: 'Hero' });
    expect(home.thumb).toEqual({ url: '/buttercms/t.jpg' });
    expect(home.plain).toBe(`${CDN}/plain`); // not in the map: stays remote
    expect(home.other).toBe('https://example.com/not-media.png');
    expect(home.link).toBe('/v2/pages/landing-page/about/');
    expect(home.empty).toBe('');
    expect(home.nothing).toBe(null);
    expect(home.body).toBe(
      '<p>Hi <img src="/buttercms/i.png" srcset="/buttercms/i480.png 480w, /buttercms/i960.png 960w"></p>',
    );
    const post = out.blog.posts[0]!;
    expect(post.featured_image).toBe('https://d2wzhk7xhrnk1x.cloudfront.net/abc_pic.jpg');
    expect(post.body).toBe('<p><a href="/buttercms/d.pdf">pdf</a></p>');
    expect((post.author as JsonObject).profile_image).toBe('/buttercms/a.webp');
    expect(out.blog.authors[0]!.profile_image).toBe('/buttercms/a.webp');
    expect(JSON.stringify(out.probes)).toContain('/buttercms/deep.gif');
  });

  it('is pure: never mutates, returns new objects', () => {
    const content = deepFreeze(sample());
    const before = JSON.stringify(content);
    const out = rewriteMediaUrls(content, map);
    expect(JSON.stringify(content)).toBe(before);
    expect(out).not.toBe(content);
    expect(out.locales[0]).not.toBe(content.locales[0]);
    expect(out.blog.authors[0]).not.toBe(content.blog.authors[0]);
    // An empty map gives an equal copy.
    expect(rewriteMediaUrls(content, new Map())).toEqual(content);
  });

  it('rewrites in place exactly as it rewrites a copy', () => {
    const content = sample();
    const copy = rewriteMediaUrls(content, map);
    expect(copy).not.toEqual(content);
    rewriteMediaUrlsInPlace(content, map);
    expect(content).toEqual(copy);
    const page = JSON.parse(`{"slug":"x","fields":{"__proto__":{"url":"${CDN}/hero"}}}`);
    rewriteMediaUrlsInPlace(makeContent({ pages: { t: [page] } }), map);
    expect(JSON.stringify(page.fields)).toBe('{"__proto__":{"url":"/buttercms/h.jpg"}}');
  });

  it('keeps __proto__ keys as plain keys', () => {
    const page = JSON.parse(`{"slug":"x","fields":{"__proto__":{"url":"${CDN}/hero"}}}`);
    const out = rewriteMediaUrls(makeContent({ pages: { t: [page] } }), map);
    const fields = out.locales[0]!.pageTypes.t![0]!.fields as JsonObject;
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(JSON.stringify(fields)).toBe('{"__proto__":{"url":"/buttercms/h.jpg"}}');
  });

  it('changes only the URL spans of HTML (entities, odd quoting and spacing kept)', () => {
    const html =
      '<div class="x">\r\n<IMG  SRC = \'https://cdn.buttercms.com/hero\'  alt="a&amp;b" >' +
      '<a href=https://cdn.buttercms.com/hero?x=1&amp;y=2>keep</a>' +
      '<img src="https://cdn.buttercms.com/hero" data-src="https://cdn.buttercms.com/hero"></div>';
    const m = new Map([
      [`${CDN}/hero`, '/b/h.jpg'],
      [`${CDN}/hero?x=1&y=2`, '/b/q "&.jpg'],
    ]);
    expect(rewriteString(html, m)).toBe(
      '<div class="x">\r\n<IMG  SRC = \'/b/h.jpg\'  alt="a&amp;b" >' +
        '<a href=/b/q%20&#34;&#38;.jpg>keep</a>' +
        '<img src="/b/h.jpg" data-src="/b/h.jpg"></div>',
    );
  });
});
