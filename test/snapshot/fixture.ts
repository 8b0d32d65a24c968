import type { SnapshotContent, SyncFacts } from '../../src/core/model/content.ts';

export const facts: SyncFacts = {
  source: 'https://api.buttercms.com/v2',
  levels: 2,
  preview: false,
  discovered: { pageTypes: [], collections: [] },
};

function page(slug: string, pageType: string | null, fields: Record<string, unknown> = {}) {
  return {
    slug,
    name: `Name of ${slug}`,
    published: '2024-05-17T14:14:41.484894Z',
    updated: '2024-05-17T14:14:41.522160Z',
    page_type: pageType,
    fields: { title: slug, ...fields },
  } as never;
}

/** A small content with the awkward names the store must keep inside its folder. */
export function content(): SnapshotContent {
  const hostile = [
    '../x',
    'a/b',
    '/abs',
    'CON',
    'con',
    'Foo',
    'foo',
    'nul\0byte',
    '__proto__',
    'constructor',
    '',
    '.',
    '_single',
  ];
  const pageTypes = Object.create(null) as SnapshotContent['locales'][number]['pageTypes'];
  pageTypes['landing-page'] = hostile.map((s) => page(s, 'landing-page'));
  Object.defineProperty(pageTypes, '__proto__', {
    value: [page('p', '__proto__', { polluted: true })],
    enumerable: true,
    writable: true,
    configurable: true,
  });
  const collections = Object.create(null) as SnapshotContent['locales'][number]['collections'];
  collections.faq = [
    { meta: { id: 2 }, question: 'b' },
    { meta: { id: 1 }, question: 'a' },
  ] as never;
  collections.constructor = [{ meta: { id: 3 }, polluted: true }] as never;
  return {
    locales: [
      { locale: 'en', singlePages: [page('home', null)], pageTypes, collections },
      {
        locale: 'FR',
        singlePages: [page('home', null, { title: 'Accueil' })],
        pageTypes: { 'landing-page': [page('x', 'landing-page')] },
        collections: { faq: [] },
      },
    ],
    blog: {
      posts: [
        { slug: 'b-post', title: 'B', author: { slug: 'jo' } },
        { slug: 'a-post', title: 'A', author: { slug: 'jo' } },
      ] as never,
      authors: [{ slug: 'jo', first_name: 'Jo' }] as never,
      categories: [{ name: 'News', slug: '__proto__' }] as never,
      tags: [{ name: 'T', slug: 'Tag' }] as never,
      recentPosts: {
        authors: { jo: ['b-post', 'a-post'] },
        categories: JSON.parse('{"__proto__":["a-post"]}'),
        tags: { Tag: [] },
      },
    },
    probes: { embedded: [] },
  };
}

/** `base` with `count` more posts (`p-0`, `p-1`, …) after its own. */
export function withPosts(base: SnapshotContent, count: number): SnapshotContent {
  for (let i = 0; i < count; i++) {
    base.blog.posts.push({ slug: `p-${i}`, title: `P${i}`, body: `<p>Post ${i}</p>` } as never);
  }
  return base;
}
