import { Project, type SourceFile } from 'ts-morph';
import { cassette, kotlin } from '../../fixtures/recordings/index.ts';
import type { Entity, TypesLock } from '../../src/core/codegen/model.ts';
import type {
  Json,
  JsonObject,
  ListingRef,
  LocaleContent,
  SnapshotContent,
} from '../../src/core/model/content.ts';
import { contentPathsByListing, listingKey } from '../../src/core/model/media-paths.ts';
import { learnNotMedia } from '../../src/core/model/profile.ts';
import { mediaToUrls } from '../../src/core/reader/render.ts';
import { findEntity } from '../../src/core/snapshot/find.ts';

/** The JSON body of a recorded buttercms-python answer (`pages/test_page_all`). */
const recordedBody = (name: string): JsonObject => JSON.parse(cassette(name).body);

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
  const filtered = recordedBody('content_fields/test_content_field_all_filtered').data as {
    [key: string]: JsonObject[];
  };
  content.locales[0] = {
    locale: null,
    singlePages: list(recordedBody('pages/test_page_all_without_page_type')),
    pageTypes: {
      'landing-page': list(recordedBody('pages/test_page_all')),
      homepage: list(kotlin('pages_response')),
    },
    collections: {
      faq: (kotlin('collections_response').data as { faq: JsonObject[] }).faq,
      navigation_menu: filtered.navigation_menu!,
      navigation_menu_item: filtered.navigation_menu_item!,
    },
  };
  const stripRecent = (items: JsonObject[]) =>
    items.map(({ recent_posts: _, ...rest }) => rest as JsonObject);
  content.blog = {
    posts: [...list(recordedBody('posts/test_post_all')), ...list(kotlin('posts_response'))],
    authors: stripRecent(list(recordedBody('authors/test_author_all'))),
    categories: list(recordedBody('categories/test_category_all')),
    tags: list(recordedBody('tags/test_tag_all')),
    recentPosts: { authors: {}, categories: {}, tags: {} },
  };
  return content;
}

/**
 * Every stored sample as the reader returns it at `levels=1` (media objects as URLs), with the
 * name of the type it must satisfy.
 */
export function samplesOf(
  content: SnapshotContent,
  lock: TypesLock,
): { type: string; value: Json }[] {
  const out: { type: string; value: Json }[] = [];
  const name = (entities: Entity[], key: string) => entities.find((e) => e.key === key)?.shape.name;
  const notMedia = contentPathsByListing(
    learnNotMedia(content.probes, (ref, locale) => findEntity(content, ref, locale)).notMedia,
  );
  const served = (entity: JsonObject, listing: ListingRef) =>
    mediaToUrls(entity, notMedia.get(listingKey(listing))) as JsonObject;
  for (const locale of content.locales) {
    for (const page of locale.singlePages) {
      const type = name(lock.singlePages, page.slug as string);
      if (type)
        out.push({ type, value: served(page, { kind: 'page', pageType: '*' }).fields ?? {} });
    }
    for (const [pageType, pages] of Object.entries(locale.pageTypes)) {
      const type = name(lock.pageTypes, pageType)!;
      for (const page of pages) {
        out.push({ type, value: served(page, { kind: 'page', pageType }).fields ?? {} });
      }
    }
    for (const [key, items] of Object.entries(locale.collections)) {
      const type = name(lock.collections, key)!;
      for (const item of items) out.push({ type, value: served(item, { kind: 'item', key }) });
    }
  }
  const blog: [string, JsonObject[]][] = [
    ['post', content.blog.posts],
    ['author', content.blog.authors],
    ['category', content.blog.categories],
    ['tag', content.blog.tags],
  ];
  for (const [key, items] of blog) {
    const type = name(lock.blog, key);
    if (type) for (const item of items) out.push({ type, value: mediaToUrls(item) });
  }
  return out;
}

/** A page object as the API lists it. */
export function page(slug: string, pageType: string | null, fields: JsonObject): JsonObject {
  return {
    slug,
    name: slug,
    published: '2024-05-17T14:14:41.484894Z',
    updated: '2024-05-17T14:14:41.522160Z',
    page_type: pageType,
    fields,
  };
}

/** Content with one page type whose pages have these fields (parsed from JSON text). */
export function pagesContent(pageTypes: { [type: string]: JsonObject[] }): SnapshotContent {
  const content = emptyContent();
  content.locales[0]!.pageTypes = Object.fromEntries(
    Object.entries(pageTypes).map(([type, fields]) => [
      type,
      fields.map((f, i) => page(`${type}-${i}`, type, f)),
    ]),
  );
  return content;
}

const project = new Project({ useInMemoryFileSystem: true });
let parsed: { source: string; file: SourceFile } | undefined;
function parse(source: string): SourceFile {
  if (parsed?.source !== source) {
    parsed = { source, file: project.createSourceFile('x.d.ts', source, { overwrite: true }) };
  }
  return parsed.file;
}

/** The type text of `property` in the emitted interface `name` (read back with ts-morph). */
export function propertyType(source: string, name: string, property: string): string {
  const file = parse(source);
  const declaration = file.getInterfaceOrThrow(name);
  const prop = declaration.getPropertyOrThrow((p) => p.getSymbol()?.getName() === property);
  return `${prop.hasQuestionToken() ? '?' : ''}${prop.getTypeNodeOrThrow().getText()}`;
}

/** The property names of interface `name`, as written. */
export function propertyNames(source: string, name: string): string[] {
  return parse(source)
    .getInterfaceOrThrow(name)
    .getProperties()
    .map((p) => p.getNameNode().getText());
}
