import { describe, expect, it } from 'vitest';
import { collectRefs, formatRef, hasRefs, parseRef, refKey } from '../../src/core/model/refs.ts';
import { referencedBy, referencedByExpanded } from '../../src/core/sync/discovery.ts';

describe('parseRef', () => {
  it('reads page URIs with and without the trailing slash', () => {
    const page = { kind: 'page', pageType: 'product-guides', slug: 'tech-overview' };
    expect(parseRef('/v2/pages/product-guides/tech-overview/')).toEqual(page);
    expect(parseRef('/v2/pages/product-guides/tech-overview')).toEqual(page);
    expect(parseRef('https://api.buttercms.com/v2/pages/product-guides/tech-overview/')).toEqual(
      page,
    );
  });

  it('reads collection item URIs, plain and percent-encoded', () => {
    const item = { kind: 'item', key: 'form_field', id: 769905 };
    expect(parseRef('/v2/content/?keys=form_field[_id=769905]')).toEqual(item);
    expect(parseRef('/v2/content/?keys=form_field%5B_id%3D769905%5D')).toEqual(item);
    expect(parseRef('/v2/content?keys=form_field[_id=769905]')).toEqual(item);
    expect(parseRef('/v2/content/?locale=en&keys=form_field[_id=769905]')).toEqual(item);
    expect(parseRef('https://api.buttercms.com/v2/content/?keys=brand_colors[_id=763563]')).toEqual(
      { kind: 'item', key: 'brand_colors', id: 763563 },
    );
  });

  it('decodes percent-encoded page segments', () => {
    expect(parseRef('/v2/pages/landing%20page/caf%C3%A9/')).toEqual({
      kind: 'page',
      pageType: 'landing page',
      slug: 'café',
    });
    expect(parseRef('/v2/pages/*/home/')).toEqual({ kind: 'page', pageType: '*', slug: 'home' });
  });

  it('rejects everything else', () => {
    for (const text of [
      '',
      'hello',
      '/v2/posts/example/',
      '/v2/pages/only-type/',
      '/v2/pages/a/b/c/',
      '/v2/content/?keys=a,b',
      '/v2/content/?keys=faq',
      '/v2/content/?keys=faq[_id=abc]',
      '/v2/pages/%E0%A4%A/x/',
      'https://example.com/about',
      'mailto:/v2/pages/a/b/',
    ]) {
      expect(parseRef(text), text).toBeUndefined();
    }
  });

  it('round-trips through formatRef', () => {
    for (const uri of ['/v2/pages/guide/guide-a/', '/v2/content/?keys=feature[_id=810001]']) {
      const ref = parseRef(uri)!;
      expect(formatRef(ref)).toBe(uri);
      expect(parseRef(formatRef(ref))).toEqual(ref);
    }
    expect(refKey({ kind: 'item', key: 'a', id: 1 })).not.toBe(
      refKey({ kind: 'page', pageType: 'a', slug: '1' }),
    );
  });
});

describe('collectRefs / discovery', () => {
  const fields = {
    title: 'Mentions /v2/ in passing',
    one: '/v2/pages/guide/guide-a',
    many: ['/v2/content/?keys=feature[_id=1]', '/v2/content/?keys=feature[_id=2]'],
    unset: {},
    nested: [{ type: 'hero', fields: { link: '/v2/pages/landing/home/' } }],
  };

  it('finds every reference in document order', () => {
    expect(collectRefs(fields).map((r) => r.uri)).toEqual([
      '/v2/pages/guide/guide-a',
      '/v2/content/?keys=feature[_id=1]',
      '/v2/content/?keys=feature[_id=2]',
      '/v2/pages/landing/home/',
    ]);
    expect(hasRefs(fields)).toBe(true);
    expect(hasRefs({ a: ['x', 1, null, {}] })).toBe(false);
  });

  it('discovers page types and collections from pages and items', () => {
    const found = referencedBy('page', [{ slug: 'x', fields }]);
    expect([...found.pageTypes].sort()).toEqual(['guide', 'landing']);
    expect([...found.collections]).toEqual(['feature']);
    const fromItems = referencedBy('item', [
      { meta: { id: 3 }, menu: '/v2/content/?keys=menu_item[_id=9]', fields: 'plain' },
    ]);
    expect([...fromItems.collections]).toEqual(['menu_item']);
  });

  it('discovers the page_type of expanded pages', () => {
    const found = referencedByExpanded({
      data: { fields: { rel: { slug: 'b', page_type: 'article', fields: { x: 1 } } } },
    });
    expect([...found.pageTypes]).toEqual(['article']);
  });
});
