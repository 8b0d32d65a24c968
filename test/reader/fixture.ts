import type { JsonObject, SnapshotContent, SyncFacts } from '../../src/core/model/content.ts';

export const facts: SyncFacts = {
  source: 'https://api.buttercms.com/v2',
  levels: 3,
  preview: false,
  discovered: { pageTypes: [], collections: [] },
};

function page(slug: string, pageType: string | null, fields: JsonObject, published: string) {
  return {
    slug,
    name: slug.toUpperCase(),
    published,
    updated: published,
    page_type: pageType,
    fields,
  };
}

function landing(locale: string) {
  const t = (s: string) => (locale === 'en' ? s : `${s} (${locale})`);
  return [
    page(
      'alpha',
      'landing-page',
      {
        title: t('Alpha'),
        rank: 3,
        hero: { url: 'https://cdn.buttercms.com/a', alt: 'A' },
        plain: { url: 'https://cdn.buttercms.com/p' },
        // A repeater of links: content shaped like media (the media probe tells them apart).
        links: [
          { url: 'https://example.com/docs' },
          { url: 'https://example.com/api', alt: 'API' },
        ],
        related: ['/v2/pages/landing-page/beta/'],
        brand: '/v2/content/?keys=brands[_id=10]',
        empty: {},
        seo: { title: t('SEO alpha') },
      },
      '2024-01-03T00:00:00Z',
    ),
    page(
      'beta',
      'landing-page',
      {
        title: t('Beta'),
        rank: 1,
        hero: '',
        related: ['/v2/pages/landing-page/gamma'],
        brand: {},
        empty: {},
        seo: { title: t('SEO beta') },
      },
      '2024-01-01T00:00:00Z',
    ),
    page(
      'gamma',
      'landing-page',
      {
        title: t('Gamma'),
        rank: 2,
        hero: null,
        related: ['/v2/pages/landing-page/alpha/'],
        brand: '/v2/content/?keys=brands[_id=11]',
        empty: {},
        seo: { title: t('SEO gamma') },
      },
      '2024-01-02T00:00:00Z',
    ),
  ];
}

function locale(l: string) {
  return {
    locale: l,
    singlePages: [
      page(
        'home',
        null,
        { headline: l === 'en' ? 'Home' : 'Accueil', feature: '/v2/pages/landing-page/alpha/' },
        '2024-01-01T00:00:00Z',
      ),
    ],
    pageTypes: { 'landing-page': landing(l) },
    collections: {
      brands: [
        {
          meta: { id: 10 },
          name: 'Acme',
          logo: { url: 'https://cdn.buttercms.com/l', alt: '' },
          home: '/v2/pages/*/home/',
        },
        { meta: { id: 11 }, name: 'Zeta', logo: { url: 'https://cdn.buttercms.com/z' }, home: {} },
      ],
      faq: [
        { meta: { id: 1 }, question: 'Why?', order: 2 },
        { meta: { id: 2 }, question: 'How?', order: 1 },
        { meta: { id: 3 }, question: 'What?', order: 3 },
      ],
    },
  };
}

const author = (slug: string) => ({
  bio: '',
  slug,
  email: `${slug}@x.io`,
  last_name: 'L',
  first_name: slug,
});
function post(slug: string, n: number, authorSlug: string, cats: string[], tags: string[]) {
  return {
    status: 'published',
    created: `2024-02-0${n}T00:00:00Z`,
    updated: `2024-02-0${n}T00:00:00Z`,
    published: `2024-02-0${n}T00:00:00Z`,
    title: slug.toUpperCase(),
    slug,
    body: `<p>${slug}</p>`,
    summary: 's',
    seo_title: 'seo',
    meta_description: 'm',
    featured_image_alt: '',
    url: `/${slug}`,
    featured_image: n === 2 ? null : `https://cdn.buttercms.com/f${n}`,
    author: author(authorSlug),
    tags: tags.map((s) => ({ name: s.toUpperCase(), slug: s })),
    categories: cats.map((s) => ({ name: s.toUpperCase(), slug: s })),
  };
}

export const posts = [
  post('third', 3, 'ann', ['news'], ['t1']),
  post('second', 2, 'bob', ['news', 'tips'], []),
  post('first', 1, 'ann', [], ['t1', 't2']),
];

/** The detail shape the real API serves (recorded): other key order, `url: null`, `deleted`. */
function detailOf(p: (typeof posts)[number]) {
  const { first_name, last_name, email, slug, bio } = p.author;
  return {
    created: p.created,
    published: p.published,
    url: null,
    slug: p.slug,
    featured_image: p.featured_image,
    featured_image_alt: p.featured_image_alt,
    author: { first_name, last_name, email, slug, bio },
    tags: p.tags,
    categories: p.categories,
    title: p.title,
    body: p.body,
    summary: p.summary,
    updated: p.updated,
    deleted: null,
    seo_title: p.seo_title,
    meta_description: p.meta_description,
    status: p.status,
  };
}

export const expectedDetail = detailOf;

export function content(): SnapshotContent {
  const en = locale('en');
  const alpha2 = {
    ...en.pageTypes['landing-page'][0]!,
    fields: {
      ...en.pageTypes['landing-page'][0]!.fields,
      related: [
        {
          ...en.pageTypes['landing-page'][1]!,
          fields: { ...en.pageTypes['landing-page'][1]!.fields },
        },
      ],
      brand: {
        meta: { id: 10 },
        name: 'Acme',
        logo: { url: 'https://cdn.buttercms.com/l', alt: '' },
        home: '/v2/pages/*/home/',
      },
    },
  };
  return {
    locales: [en, locale('fr')] as never,
    blog: {
      posts: structuredClone(posts) as never,
      authors: [author('ann'), author('bob')] as never,
      categories: [
        { name: 'NEWS', slug: 'news' },
        { name: 'TIPS', slug: 'tips' },
      ],
      tags: [
        { name: 'T1', slug: 't1' },
        { name: 'T2', slug: 't2' },
      ],
      recentPosts: {
        authors: { ann: ['third', 'first'], bob: ['second'] },
        categories: { news: ['third', 'second'], tips: ['second'] },
        tags: { t1: ['third', 'first'], t2: ['first'] },
      },
    },
    probes: {
      postDetail: {
        slug: 'second',
        body: {
          meta: {
            next_post: {
              slug: 'third',
              title: 'THIRD',
              featured_image: 'https://cdn.buttercms.com/f3',
            },
            previous_post: {
              slug: 'first',
              title: 'FIRST',
              featured_image: 'https://cdn.buttercms.com/f1',
            },
          },
          data: detailOf(posts[1]!) as never,
        },
      },
      embedded: [
        {
          entity: { kind: 'page', pageType: 'landing-page', slug: 'alpha' },
          locale: 'en',
          body: { data: alpha2 as never },
        },
      ],
      pageListDefault: {
        pageType: 'landing-page',
        body: {
          meta: { next_page: 2, previous_page: null, count: 3 },
          data: en.pageTypes['landing-page'].slice(0, 2) as never,
        },
      },
      media: [
        {
          listing: { kind: 'page', pageType: 'landing-page' },
          locale: 'en',
          body: {
            meta: { next_page: null, previous_page: null, count: 1 },
            data: [
              {
                ...en.pageTypes['landing-page'][0]!,
                fields: {
                  ...en.pageTypes['landing-page'][0]!.fields,
                  hero: 'https://cdn.buttercms.com/a',
                  plain: 'https://cdn.buttercms.com/p',
                },
              },
            ] as never,
          },
        },
      ],
    },
  };
}
