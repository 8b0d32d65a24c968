import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, LocaleContent, SnapshotContent } from '../../src/core/snapshot/model.ts';

export const CONFORMANCE = '/work/shared/conformance';

/** The JSON body of the first interaction of a vcrpy cassette (buttercms-python). */
export function cassette(path: string): JsonObject {
  const data = JSON.parse(readFileSync(join(CONFORMANCE, 'buttercms-python', path), 'utf8'));
  return JSON.parse(data.interactions[0].response.body.string) as JsonObject;
}

/** A raw body recorded by buttercms-kotlin. */
export function kotlin(name: string): JsonObject {
  return JSON.parse(readFileSync(join(CONFORMANCE, 'buttercms-kotlin', name), 'utf8'));
}

const list = (body: JsonObject): JsonObject[] => body.data as JsonObject[];

export function emptyContent(locales: Partial<LocaleContent>[] = [{}]): SnapshotContent {
  return {
    locales: locales.map((l) => ({
      locale: null,
      singlePages: [],
      pageTypes: {},
      collections: {},
      ...l,
    })),
    blog: {
      posts: [],
      authors: [],
      categories: [],
      tags: [],
      recentPosts: { authors: {}, categories: {}, tags: {} },
    },
    probes: { embedded: [] },
  };
}

/**
 * SnapshotContent built from the real recordings: the landing page with components, the
 * single page, the kotlin homepage page type, collections (both envelopes), and the blog.
 * (They were recorded without `alt_media_text`, so media fields are URL strings.)
 */
export function conformanceContent(): SnapshotContent {
  const content = emptyContent();
  const filtered = cassette('content_fields/test_content_field_all_filtered.json').data as {
    [key: string]: JsonObject[];
  };
  content.locales[0] = {
    locale: null,
    singlePages: list(cassette('pages/test_page_all_without_page_type.json')),
    pageTypes: {
      'landing-page': list(cassette('pages/test_page_all.json')),
      homepage: list(kotlin('pages_response.json')),
    },
    collections: {
      faq: (kotlin('collections_response.json').data as { faq: JsonObject[] }).faq,
      navigation_menu: filtered.navigation_menu!,
      navigation_menu_item: filtered.navigation_menu_item!,
    },
  };
  const stripRecent = (items: JsonObject[]) =>
    items.map(({ recent_posts: _, ...rest }) => rest as JsonObject);
  content.blog = {
    posts: [...list(cassette('posts/test_post_all.json')), ...list(kotlin('posts_response.json'))],
    authors: stripRecent(list(cassette('authors/test_author_all.json'))),
    categories: list(cassette('categories/test_category_all.json')),
    tags: list(cassette('tags/test_tag_all.json')),
    recentPosts: { authors: {}, categories: {}, tags: {} },
  };
  return content;
}
