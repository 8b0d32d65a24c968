/**
 * The snapshot layout, both ways and without I/O: `renderFiles` turns content into
 * relative path → file text, `LocaleIndex`/`BlogIndex` are the index files the reader opens
 * first. See "Snapshot layout" in docs/design.md.
 */
import { ButterError } from '../errors.ts';
import { toJsonText } from './hash.ts';
import type { JsonObject, SnapshotContent } from './model.ts';
import { paths } from './names.ts';

/** `locales/<locale>/index.json`: listing order of every kind of the locale. */
export interface LocaleIndex {
  locale: string | null;
  singlePages: string[];
  /** Page type → page slugs in listing order (page types sorted by name). */
  pageTypes: Record<string, string[]>;
  /** Collection key → item ids in listing order (keys sorted). */
  collections: Record<string, number[]>;
}

/** `blog/index.json`. */
export interface BlogIndex {
  posts: string[];
  authors: string[];
  categories: string[];
  tags: string[];
  recentPosts: {
    authors: Record<string, string[]>;
    categories: Record<string, string[]>;
    tags: Record<string, string[]>;
  };
}

/** Null-prototype record built from untrusted keys, in sorted key order. */
export function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const list = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of list) out[key] = value;
  return out;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

function fail(message: string): never {
  throw new ButterError(message, {
    code: 'SNAPSHOT',
    hint: 'This is a bug in the sync: please report it with the account shape.',
  });
}

function stringKey(entity: JsonObject, key: string, what: string): string {
  const value = entity[key];
  if (typeof value !== 'string') fail(`${what} without a string \`${key}\``);
  return value;
}

export function itemId(item: JsonObject, key: string): number {
  const meta = item.meta;
  const id = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta.id : null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    fail(`collection \`${key}\` has an item without a numeric \`meta.id\``);
  }
  return id;
}

/** One file of the snapshot: relative path and text. */
export type FileEntry = [path: string, text: string];

/**
 * Renders entities one at a time under their path; a duplicate identity keeps the first
 * occurrence (listings can repeat an entity when content moves between pages mid-crawl).
 * Pushes the ids in order, without duplicates, to `ids`.
 */
function* renderAll<Id extends string | number>(
  ids: Id[],
  entities: JsonObject[],
  identify: (e: JsonObject) => Id,
  path: (id: Id) => string,
): Generator<FileEntry> {
  const seen = new Set<string>();
  for (const entity of entities) {
    const id = identify(entity);
    const file = path(id);
    if (seen.has(file)) continue;
    seen.add(file);
    ids.push(id);
    yield [file, toJsonText(entity)];
  }
}

/**
 * Every file of the snapshot but the manifest, rendered lazily one after the other (so a
 * writer never holds every text at once): each locale's entities then its index, the blog's
 * entities then its index, the probes. Paths are unique.
 */
export function* renderFiles(content: SnapshotContent): Generator<FileEntry> {
  const seenLocales = new Set<string>();
  for (const l of content.locales) {
    const index = paths.localeIndex(l.locale);
    if (seenLocales.has(index)) fail(`locale ${String(l.locale)} appears twice`);
    seenLocales.add(index);
    const singlePages: string[] = [];
    yield* renderAll(
      singlePages,
      l.singlePages,
      (p) => stringKey(p, 'slug', 'a single page'),
      (slug) => paths.singlePage(l.locale, slug),
    );
    const pageTypes: [string, string[]][] = [];
    for (const [type, pages] of Object.entries(l.pageTypes)) {
      const slugs: string[] = [];
      pageTypes.push([type, slugs]);
      yield* renderAll(
        slugs,
        pages,
        (p) => stringKey(p, 'slug', `a page of type \`${type}\``),
        (slug) => paths.page(l.locale, type, slug),
      );
    }
    const collections: [string, number[]][] = [];
    for (const [key, items] of Object.entries(l.collections)) {
      const ids: number[] = [];
      collections.push([key, ids]);
      yield* renderAll(
        ids,
        items,
        (i) => itemId(i, key),
        (id) => paths.item(l.locale, key, id),
      );
    }
    const localeIndex: LocaleIndex = {
      locale: l.locale,
      singlePages,
      pageTypes: sortedRecord(pageTypes),
      collections: sortedRecord(collections),
    };
    yield [index, toJsonText(localeIndex)];
  }
  const { blog } = content;
  const slugOf = (what: string) => (e: JsonObject) => stringKey(e, 'slug', what);
  const blogIndex: BlogIndex = {
    posts: [],
    authors: [],
    categories: [],
    tags: [],
    recentPosts: {
      authors: sortedRecord(Object.entries(blog.recentPosts.authors)),
      categories: sortedRecord(Object.entries(blog.recentPosts.categories)),
      tags: sortedRecord(Object.entries(blog.recentPosts.tags)),
    },
  };
  yield* renderAll(blogIndex.posts, blog.posts, slugOf('a post'), paths.post);
  yield* renderAll(blogIndex.authors, blog.authors, slugOf('an author'), paths.author);
  yield* renderAll(blogIndex.categories, blog.categories, slugOf('a category'), paths.category);
  yield* renderAll(blogIndex.tags, blog.tags, slugOf('a tag'), paths.tag);
  yield [paths.blogIndex, toJsonText(blogIndex)];
  yield [paths.probes, toJsonText(content.probes)];
}
