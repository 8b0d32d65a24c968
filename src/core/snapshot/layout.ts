/**
 * The snapshot layout, both ways and without I/O: `renderPieces` turns content into its
 * folders and index files one at a time, `chunkFolder` a folder into chunk files;
 * `LocaleIndex`/`BlogIndex` are the index files the reader opens first. See "Snapshot layout" in docs/design.md.
 */
import { ButterError } from '../errors.ts';
import type { EntityList, JsonObject, StagedContent } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { hashText, toJsonText } from './hash.ts';
import { blogFolders, chunkCount, chunkFile, chunkOf, escapeName, paths } from './names.ts';

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
  const id = isObject(meta) ? meta.id : null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    fail(`collection \`${key}\` has an item without a numeric \`meta.id\``);
  }
  return id;
}

/** One file of the snapshot: relative path and text. */
export type FileEntry = [path: string, text: string];

/**
 * One entity of a folder: its escaped name (file name without `.json`) and how to render its
 * text, which is rendered once to hash it and again when its chunk is written: a folder's
 * texts never sit in memory together (the posts of a large account are a hundred megabytes).
 */
export type Member = [name: string, render: () => string];

/**
 * What the store writes: a plain file (an index, the probes, an extra file), or a folder of
 * entities (a listing), stored as chunk files (`chunkFolder`) once rendered (`renderMembers`).
 */
export type Piece =
  | { file: string; text: string }
  | { folder: string; entities: EntityList; members: Member[] };

/**
 * The members of a folder in listing order, each entity's text compact (a chunk holds one
 * entity per line; two-space indentation renders much slower); `ids` gets their ids. A
 * duplicate identity keeps the first occurrence (listings can repeat an entity when content
 * moves between pages mid-crawl). Ids are compared as their names would be: `escapeName` is
 * injective.
 */
export function renderMembers<Id extends string | number>(
  entities: EntityList,
  identify: (e: JsonObject) => Id,
  ids: Id[] = [],
): Member[] {
  const members: Member[] = [];
  // A listing read from a snapshot knows its ids: nothing is read until a chunk is rendered.
  if (entities.ids && entities.text) {
    for (const [index, id] of entities.ids.entries()) {
      ids.push(id as Id);
      members.push([escapeName(String(id)), storedText(entities, index)]);
    }
    return members;
  }
  const seen = new Set<string>();
  let index = -1;
  for (const entity of entities) {
    index++;
    const id = identify(entity);
    const key = String(id);
    if (seen.has(key)) continue;
    seen.add(key);
    ids.push(id);
    members.push([escapeName(key), entities.text ? storedText(entities, index) : rendered(entity)]);
  }
  return members;
}

/** An entity's text as its list holds it (the entity itself is not kept). */
function storedText(entities: EntityList, index: number): () => string {
  return () => entities.text!(index);
}

function rendered(entity: JsonObject): () => string {
  return () => JSON.stringify(entity);
}

/** How each folder of the snapshot names its entities. */
export const identities = {
  page: (pageType: string) => (p: JsonObject) =>
    stringKey(p, 'slug', pageType === '*' ? 'a single page' : `a page of type \`${pageType}\``),
  item: (key: string) => (i: JsonObject) => itemId(i, key),
  blog: (what: string) => (e: JsonObject) => stringKey(e, 'slug', what),
};

/** A member of a folder, hashed. */
interface ChunkMember {
  name: string;
  /** sha256 of the text. */
  hash: string;
  /** UTF-8 bytes of the text. */
  bytes: number;
  render: () => string;
}

/** A folder's members hashed and split into chunk files. */
export interface ChunkedFolder {
  /** Logical path of each entity (`<folder>/<name>.json`) → sha256 of its text, in path order. */
  hashes: [path: string, hash: string][];
  /**
   * The chunk files, `chunkFile(folder, 0 … n − 1)` (none for an empty folder), each with its
   * digest: the sha256 of its members' names and hashes, which identify its bytes exactly.
   * Rendered one at a time as they are iterated.
   */
  chunks: Iterable<[path: string, text: string, digest: string]>;
  /** The same chunk files, each rendered only when asked (one whose file is kept is not). */
  files: Iterable<ChunkFile>;
}

/** A chunk file of a folder, not rendered yet. */
export interface ChunkFile {
  path: string;
  /** sha256 of its members' names and hashes (see `ChunkedFolder.chunks`). */
  digest: string;
  render(): string;
}

/**
 * Splits a folder's members into `chunkCount` chunk files by `chunkOf` their name. A chunk is
 * a JSON object of name → entity in name order, one member per line, each entity's text as
 * hashed for the manifest.
 */
export function chunkFolder(folder: string, listed: readonly Member[]): ChunkedFolder {
  if (listed.length === 0) return { hashes: [], chunks: [], files: [] };
  const members = listed.map(([name, render]): ChunkMember => {
    const text = render();
    return { name, hash: hashText(text), bytes: Buffer.byteLength(text), render };
  });
  let bytes = 0;
  for (const member of members) bytes += member.bytes;
  const count = chunkCount(members.length, bytes);
  const buckets: ChunkMember[][] = Array.from({ length: count }, () => []);
  const hashes: [string, string][] = [];
  // In name order: each bucket then is, and so are the hashes (the manifest's order, which a
  // sort of the whole snapshot's hashes then merges in few steps).
  const byName = [...members].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const member of byName) {
    hashes.push([`${folder}/${member.name}.json`, member.hash]);
    buckets[chunkOf(member.name, count)]!.push(member);
  }
  function* files(): Generator<ChunkFile> {
    for (const [index, list] of buckets.entries()) {
      const digest = hashText(list.map((m) => `${m.name} ${m.hash}\n`).join(''));
      yield { path: chunkFile(folder, index), digest, render: () => renderChunk(list) };
    }
  }
  function* chunks(): Generator<[string, string, string]> {
    for (const file of files()) yield [file.path, file.render(), file.digest];
  }
  return { hashes, chunks: chunks(), files: files() };
}

/** A chunk's text: `{`, then one `"name":<text>` per line, then `}`. */
function renderChunk(members: readonly ChunkMember[]): string {
  return `{\n${members.map((m) => `${JSON.stringify(m.name)}:${m.render()}`).join(',\n')}\n}\n`;
}

/**
 * Every piece of the snapshot but the manifest, one after the other (a writer renders one
 * folder at a time, never every text at once): each locale's folders then its index, the
 * blog's folders then its index, the probes. Paths are unique.
 */
export function* renderPieces(content: StagedContent): Generator<Piece> {
  const seenLocales = new Set<string>();
  function* folder<Id extends string | number>(
    ids: Id[],
    path: string,
    entities: EntityList,
    identify: (e: JsonObject) => Id,
  ): Generator<Piece> {
    yield { folder: path, entities, members: renderMembers(entities, identify, ids) };
  }
  for (const l of content.locales) {
    const index = paths.localeIndex(l.locale);
    if (seenLocales.has(index)) fail(`locale ${String(l.locale)} appears twice`);
    seenLocales.add(index);
    const singlePages: string[] = [];
    yield* folder(
      singlePages,
      paths.pageFolder(l.locale, '*'),
      l.singlePages,
      identities.page('*'),
    );
    const pageTypes: [string, string[]][] = [];
    for (const [type, pages] of Object.entries(l.pageTypes)) {
      const slugs: string[] = [];
      pageTypes.push([type, slugs]);
      yield* folder(slugs, paths.pageFolder(l.locale, type), pages, identities.page(type));
    }
    const collections: [string, number[]][] = [];
    for (const [key, items] of Object.entries(l.collections)) {
      const ids: number[] = [];
      collections.push([key, ids]);
      yield* folder(ids, paths.itemFolder(l.locale, key), items, identities.item(key));
    }
    const localeIndex: LocaleIndex = {
      locale: l.locale,
      singlePages,
      pageTypes: sortedRecord(pageTypes),
      collections: sortedRecord(collections),
    };
    yield { file: index, text: toJsonText(localeIndex) };
  }
  const { blog } = content;
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
  for (const kind of BLOG_KINDS) {
    yield* folder(blogIndex[kind], blogFolders[kind], blog[kind], identities.blog(BLOG_WHAT[kind]));
  }
  yield { file: paths.blogIndex, text: toJsonText(blogIndex) };
  yield { file: paths.probes, text: toJsonText(content.probes) };
}

const BLOG_KINDS = ['posts', 'authors', 'categories', 'tags'] as const;
const BLOG_WHAT = {
  posts: 'a post',
  authors: 'an author',
  categories: 'a category',
  tags: 'a tag',
};
