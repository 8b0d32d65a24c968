import { describe, expect, it } from 'vitest';
import { emitDeclarations, inferSchema } from '../../src/core/codegen/index.ts';
import type { JsonObject, SnapshotContent } from '../../src/core/model/content.ts';
import { emptyContent, pagesContent, propertyType } from './helpers.ts';

const json = (text: string): JsonObject[] => JSON.parse(text);

async function emit(content: SnapshotContent, levels = 1, closedEnums?: boolean): Promise<string> {
  const { lock } = inferSchema(content, { levels });
  return emitDeclarations(lock, closedEnums === undefined ? {} : { closedEnums });
}

async function fieldTypes(samples: string, levels = 1, closedEnums?: boolean) {
  const source = await emit(pagesContent({ t: json(samples) }), levels, closedEnums);
  return (prop: string, name = 'TFields') => propertyType(source, name, prop);
}

describe('inference from samples', () => {
  it('a field present in only some samples is optional', async () => {
    const type = await fieldTypes('[{"a": "x", "b": 1}, {"a": "y"}]');
    expect(type('a')).toBe('string');
    expect(type('b')).toBe('?number');
  });

  it('null, "" and {} beside real values widen the type', async () => {
    const type = await fieldTypes(`[
      {"s": "x", "n": 1, "o": {"k": "v"}, "m": "https://cdn.buttercms.com/abc"},
      {"s": null, "n": "", "o": {}, "m": ""},
      {"s": "y", "n": 2.5, "o": null, "m": null}
    ]`);
    expect(type('s')).toBe('(string | null)');
    expect(type('n')).toBe('("" | number)');
    expect(type('o')).toBe('(TO | ButterEmpty | null)');
    expect(type('m')).toBe('(ButterMedia | null)');
  });

  it('does not guess from an empty array or {} alone', async () => {
    const type = await fieldTypes(
      '[{"list": [], "ref": {}, "e": ""}, {"list": [], "ref": {}, "e": ""}]',
    );
    expect(type('list')).toBe('unknown[]');
    expect(type('ref')).toMatch(/^\{\s*\[k: string\]: unknown;?\s*\}$/);
    expect(type('e')).toBe('string');
  });

  it('tells integers from numbers, and booleans', async () => {
    const type = await fieldTypes('[{"i": 1, "f": 1, "b": true}, {"i": 2, "f": 0.5, "b": false}]');
    expect(type('i')).toBe('number');
    expect(type('f')).toBe('number');
    expect(type('b')).toBe('boolean');
  });

  it('documents zoned and naive timestamps as dates and WYSIWYG fields as HTML', async () => {
    const source = await emit(
      pagesContent({
        t: json(`[
          {"d": "2024-05-17T14:14:41.484894Z", "h": "<p>Hi</p>", "mixed": "2024-09-19T00:00:00"},
          {"d": "2024-09-19T00:00:00", "h": "plain text", "mixed": "soon"}
        ]`),
      }),
    );
    expect(propertyType(source, 'TFields', 'd')).toBe('ButterDateTime');
    expect(propertyType(source, 'TFields', 'h')).toBe('ButterHtml');
    expect(propertyType(source, 'TFields', 'mixed')).toBe('string');
    expect(source).toContain('/** ISO 8601 timestamp. */\n  d: ButterDateTime;');
    expect(source).toContain('/** HTML (WYSIWYG field). */\n  h: ButterHtml;');
  });

  it('recognizes media by {url, alt} (alt_media_text=1) and by host, as the URL the reader returns', async () => {
    const type = await fieldTypes(`[
      {"a": {"url": "https://cdn.buttercms.com/x", "alt": "A"}, "h": "https://cdn.buttercms.com/y", "other": "https://example.com/z"},
      {"a": {"url": "https://cdn.buttercms.com/w", "alt": null}, "h": "https://d2wzhk7xhrnk1x.cloudfront.net/q", "other": "https://example.com/z2"}
    ]`);
    expect(type('a')).toBe('ButterMedia');
    expect(type('h')).toBe('ButterMedia');
    expect(type('other')).toBe('string');
  });

  it('keeps dropdown-like values open unless closed enums are asked for, and ignores thin evidence', async () => {
    const samples = JSON.stringify(
      ['left', 'right', 'left', 'right', 'left', 'right'].map((v, i) => ({
        position: v,
        thin: i < 2 ? ['a', 'b'][i] : 'text that varies a lot',
        unique: `value ${i}`,
      })),
    );
    const open = await fieldTypes(samples);
    expect(open('position')).toBe('("left" | "right" | (string & {}))');
    expect(open('unique')).toBe('string');
    const closed = await fieldTypes(samples, 1, true);
    expect(closed('position')).toBe('("left" | "right")');
    const thin = await fieldTypes('[{"p": "left"}, {"p": "right"}]');
    expect(thin('p')).toBe('string');
  });

  it('types repeaters as arrays of named objects and single components as named interfaces', async () => {
    const type = await fieldTypes(`[
      {"seo": {"title": "a"}, "rows": [{"q": "1"}, {"q": "2", "extra": true}]}
    ]`);
    expect(type('seo')).toBe('TSeo');
    expect(type('rows')).toBe('TRowsItem[]');
    expect(type('extra', 'TRowsItem')).toBe('?boolean');
  });

  it('infers one type per component from every use in every page type and collection', async () => {
    const content = pagesContent({
      'landing-page': json(`[{"body": [
        {"type": "hero", "fields": {"headline": "A", "image": "https://cdn.buttercms.com/a"}},
        {"type": "two_column_with_image", "fields": {"headline": "B"}}
      ]}]`),
      'other-page': json(
        `[{"sections": [{"type": "hero", "fields": {"headline": "C", "cta": "Go"}}]}]`,
      ),
    });
    content.locales[0]!.collections = {
      blocks: json(
        `[{"meta": {"id": 1}, "parts": [{"type": "hero", "fields": {"headline": "D"}}]}]`,
      ),
    };
    const source = await emit(content);
    expect(propertyType(source, 'LandingPageFields', 'body')).toBe(
      '(HeroComponent | TwoColumnWithImageComponent)[]',
    );
    expect(propertyType(source, 'OtherPageFields', 'sections')).toBe('HeroComponent[]');
    expect(propertyType(source, 'BlocksItem', 'parts')).toBe('HeroComponent[]');
    expect(propertyType(source, 'HeroComponent', 'type')).toBe('"hero"');
    expect(propertyType(source, 'HeroComponent', 'fields')).toBe('HeroComponentFields');
    expect(propertyType(source, 'HeroComponentFields', 'headline')).toBe('string');
    expect(propertyType(source, 'HeroComponentFields', 'image')).toBe('?ButterMedia');
    expect(propertyType(source, 'HeroComponentFields', 'cta')).toBe('?string');
    expect(source.match(/export interface HeroComponent\b/g)).toHaveLength(1);
    expect(source).toContain('inferred from 3 uses');
  });

  it('types references as the target shape within the synced depth and as URIs past it', async () => {
    const content = pagesContent({
      guide: json(`[
        {"next": "/v2/pages/guide/b/", "see": ["/v2/pages/guide/a", "/v2/pages/landing/x/"], "item": "/v2/content/?keys=faq[_id=1]", "gone": "/v2/pages/unsynced/x/"},
        {"next": {}, "see": [], "item": "/v2/content/?keys=faq[_id=2]", "gone": "/v2/pages/unsynced/y/"}
      ]`),
      landing: json('[{"title": "x"}]'),
    });
    content.locales[0]!.collections = {
      faq: json('[{"meta": {"id": 1}, "q": "?", "guide": "/v2/pages/guide/a/"}]'),
    };
    const two = await emit(content, 2);
    expect(propertyType(two, 'GuideFields', 'next')).toBe(
      '(ButterEmbeddedPage<GuideFields> | ButterPageUri<"guide"> | ButterEmpty)',
    );
    expect(propertyType(two, 'GuideFields', 'see')).toBe(
      '(ButterEmbeddedPage<GuideFields> | ButterPageUri<"guide"> | ButterEmbeddedPage<LandingFields> | ButterPageUri<"landing">)[]',
    );
    expect(propertyType(two, 'GuideFields', 'item')).toBe('(FaqItem | ButterItemUri<"faq">)');
    expect(propertyType(two, 'FaqItem', 'guide')).toBe(
      '(ButterEmbeddedPage<GuideFields> | ButterPageUri<"guide">)',
    );
    // A page type the snapshot does not hold is never expanded by the reader.
    expect(propertyType(two, 'GuideFields', 'gone')).toBe('ButterPageUri<"unsynced">');
    const one = await emit(content, 1);
    expect(propertyType(one, 'GuideFields', 'next')).toBe('(ButterPageUri<"guide"> | ButterEmpty)');
    expect(propertyType(one, 'GuideFields', 'item')).toBe('ButterItemUri<"faq">');
  });

  it('does not guess maps from wide objects', async () => {
    const wide = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, i]));
    const source = await emit(pagesContent({ t: [{ wide }] }));
    expect(propertyType(source, 'TWide', 'k119')).toBe('number');
    expect(source).not.toContain('[k: string]: number');
  });

  it('merges every locale and names single pages, collections and blog types', async () => {
    const content = emptyContent([{ locale: 'en' }, { locale: 'fr' }]);
    content.locales[0]!.singlePages = json('[{"slug": "about", "fields": {"title": "About"}}]');
    content.locales[1]!.singlePages = json(
      '[{"slug": "about", "fields": {"title": "À propos", "fr_only": 1}}]',
    );
    content.blog.tags = json('[{"name": "T", "slug": "t"}]');
    const source = await emit(content);
    expect(propertyType(source, 'AboutFields', 'fr_only')).toBe('?number');
    expect(source).toContain('inferred from 2 samples, one per locale');
    expect(propertyType(source, 'BlogTag', 'slug')).toBe('string');
    expect(source).not.toContain('BlogPost');
  });
});

describe('embedded shapes learned from the probes', () => {
  it('embeds pages with the keys the API sent and items without the keys it left out', async () => {
    const content = pagesContent({
      guide: json('[{"next": "/v2/pages/guide/guide-1/", "faq": "/v2/content/?keys=faq[_id=1]"}]'),
    });
    content.locales[0]!.pageTypes.guide![0]!.slug = 'guide-1';
    content.locales[0]!.collections = { faq: json('[{"meta": {"id": 1}, "q": "?"}]') };
    content.probes.embedded = [
      {
        entity: { kind: 'page', pageType: 'guide', slug: 'guide-1' },
        locale: null,
        body: JSON.parse(`{"data": {"slug": "guide-1", "fields": {
          "next": {"slug": "guide-1", "name": "Guide", "fields": {}},
          "faq": {"q": "?"}
        }}}`),
      },
    ];
    const { lock } = inferSchema(content, { levels: 2 });
    expect(lock.embedded).toEqual({ pageKeys: ['slug', 'name', 'fields'], itemDrop: ['meta'] });
    const source = await emitDeclarations(lock);
    expect(propertyType(source, 'ButterEmbeddedPage', 'name')).toBe('string');
    expect(propertyType(source, 'GuideFields', 'faq')).toBe(
      '(Omit<FaqItem, "meta"> | ButterItemUri<"faq">)',
    );
  });

  it('references to single pages are typed loosely (the URI does not say which page)', async () => {
    const source = await emit(pagesContent({ t: json('[{"home": "/v2/pages/*/home/"}]') }), 2);
    expect(propertyType(source, 'TFields', 'home')).toBe(
      '(ButterEmbeddedPage<{ [key: string]: unknown; }> | ButterPageUri<"*">)',
    );
  });

  it('a page type without pages today keeps its lock type as it was', () => {
    const before = inferSchema(pagesContent({ t: json('[{"a": 1}]') }), { levels: 1 });
    const empty = inferSchema(pagesContent({ t: [] }), { levels: 1, previous: before.lock });
    expect(empty.changes).toEqual([]);
    expect(empty.lock.pageTypes[0]!.shape.props).toEqual(before.lock.pageTypes[0]!.shape.props);
  });
});
