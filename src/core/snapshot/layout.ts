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

/**
 * Adds entities to `files` under their path; a duplicate identity keeps the first occurrence
 * (listings can repeat an entity when content moves between pages mid-crawl). Returns the ids
 * in order, without duplicates.
 */
function addAll<Id extends string | number>(
  files: Map<string, string>,
  entities: JsonObject[],
  identify: (e: JsonObject) => Id,
  path: (id: Id) => string,
): Id[] {
  const ids: Id[] = [];
  const seen = new Set<string>();
  for (const entity of entities) {
    const id = identify(entity);
    const file = path(id);
    if (seen.has(file)) continue;
    seen.add(file);
    ids.push(id);
    files.set(file, toJsonText(entity));
  }
  return ids;
}

/** Every file of the snapshot but the manifest, path → text. */
export function renderFiles(content: SnapshotContent): Map<string, string> {
  const files = new Map<string, string>();
  const seenLocales = new Set<string>();
  for (const l of content.locales) {
    const index = paths.localeIndex(l.locale);
    if (seenLocales.has(index)) fail(`locale ${String(l.locale)} appears twice`);
    seenLocales.add(index);
    const singlePages = addAll(
      files,
      l.singlePages,
      (p) => stringKey(p, 'slug', 'a single page'),
      (slug) => paths.singlePage(l.locale, slug),
    );
    const pageTypes = sortedRecord(
      Object.entries(l.pageTypes).map(([type, pages]): [string, string[]] => [
        type,
        addAll(
          files,
          pages,
          (p) => stringKey(p, 'slug', `a page of type \`${type}\``),
          (slug) => paths.page(l.locale, type, slug),
        ),
      ]),
    );
    const collections = sortedRecord(
      Object.entries(l.collections).map(([key, items]): [string, number[]] => [
        key,
        addAll(
          files,
          items,
          (i) => itemId(i, key),
          (id) => paths.item(l.locale, key, id),
        ),
      ]),
    );
    const localeIndex: LocaleIndex = { locale: l.locale, singlePages, pageTypes, collections };
    files.set(index, toJsonText(localeIndex));
  }
  const { blog } = content;
  const slugOf = (what: string) => (e: JsonObject) => stringKey(e, 'slug', what);
  const blogIndex: BlogIndex = {
    posts: addAll(files, blog.posts, slugOf('a post'), paths.post),
    authors: addAll(files, blog.authors, slugOf('an author'), paths.author),
    categories: addAll(files, blog.categories, slugOf('a category'), paths.category),
    tags: addAll(files, blog.tags, slugOf('a tag'), paths.tag),
    recentPosts: {
      authors: sortedRecord(Object.entries(blog.recentPosts.authors)),
      categories: sortedRecord(Object.entries(blog.recentPosts.categories)),
      tags: sortedRecord(Object.entries(blog.recentPosts.tags)),
    },
  };
  files.set(paths.blogIndex, toJsonText(blogIndex));
  files.set(paths.probes, toJsonText(content.probes));
  return files;
}
