/**
 * The reader's view of a snapshot. Nothing is read on creation. The index files (listing order
 * of every kind) are read on first use and kept, with what is derived from them once per
 * snapshot (membership of a listing, positions of posts); entities are read one by one through
 * the store's budgeted cache, so a call reads what it returns and no more.
 */

import { type SnapshotStore, snapshotError } from '../snapshot/chunked.ts';
import type { BlogIndex, LocaleIndex } from '../snapshot/layout.ts';
import type { Manifest } from '../snapshot/manifest.ts';
import type { EntityRef, JsonObject, ListingRef, ProfileProbes } from '../snapshot/model.ts';
import { blogFolders, escapeName, paths } from '../snapshot/names.ts';
import { type ApiProfile, PROFILE_FILE } from './profile.ts';

export type BlogKind = keyof typeof blogFolders;
type Id = string | number;

export interface Source {
  manifest(): Promise<Manifest>;
  probes(): Promise<ProfileProbes>;
  /** The profile the sync learned (`profile.json`), or `undefined` in older snapshots. */
  profile(): Promise<ApiProfile | undefined>;
  localeIndex(locale: string | null): Promise<LocaleIndex>;
  blogIndex(): Promise<BlogIndex>;
  /**
   * Ids of a listing in listing order: slugs of a page type (`'*'`: single pages), ids of a
   * collection's items; `undefined` when it was not synced.
   */
  listing(listing: ListingRef, locale: string | null): Promise<readonly Id[] | undefined>;
  /** One page or item, or `undefined` when its listing does not hold it. */
  entity(ref: EntityRef, locale: string | null): Promise<JsonObject | undefined>;
  /** Entities of a listing by id (ids of the listing), in the order given. */
  entities(listing: ListingRef, locale: string | null, ids: readonly Id[]): Promise<JsonObject[]>;
  /** One post, author, category or tag, or `undefined` when the blog does not list it. */
  blogEntity(kind: BlogKind, slug: string): Promise<JsonObject | undefined>;
  /** Blog entities by slug (slugs the blog lists), in the order given. */
  blogEntities(kind: BlogKind, slugs: readonly string[]): Promise<JsonObject[]>;
  /** A post's place in the listing (newest first), or `undefined` when it is not listed. */
  postPosition(slug: string): Promise<number | undefined>;
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const folderOf = (listing: ListingRef, locale: string | null) =>
  listing.kind === 'item'
    ? paths.itemFolder(locale, listing.key)
    : paths.pageFolder(locale, listing.pageType);

/** Once per key: a promise kept, forgotten when it fails so that a later call tries again. */
function memo<T>() {
  const kept = new Map<string, Promise<T>>();
  return (key: string, make: () => Promise<T>): Promise<T> => {
    let promise = kept.get(key);
    if (!promise) {
      promise = make();
      kept.set(key, promise);
      promise.catch(() => kept.delete(key));
    }
    return promise;
  };
}

export function createSource(open: () => Promise<SnapshotStore>): Source {
  let opened: Promise<SnapshotStore> | undefined;
  const store = () => {
    opened ??= open();
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  };
  const files = memo<unknown>();
  const file = <T>(path: string, needed = true): Promise<T> =>
    files(path, async () => {
      const s = await store();
      const value = await s.readJson(path);
      if (value === undefined && needed) {
        throw snapshotError(`${path} is missing from the snapshot in ${s.location}`);
      }
      return value;
    }) as Promise<T>;

  const localeIndex = (locale: string | null) => file<LocaleIndex>(paths.localeIndex(locale));
  const blogIndex = () => file<BlogIndex>(paths.blogIndex);

  const listing = async (ref: ListingRef, locale: string | null) => {
    const index = await localeIndex(locale);
    if (ref.kind === 'item') return own(index.collections, ref.key);
    return ref.pageType === '*' ? index.singlePages : own(index.pageTypes, ref.pageType);
  };

  // Listed ids as text, per listing: an entity is looked up, never searched for.
  const members = memo<Set<string>>();
  const listed = async (ref: ListingRef, locale: string | null, id: Id) => {
    const key = [locale ?? '\u0001', ref.kind, ref.kind === 'item' ? ref.key : ref.pageType].join(
      '\u0000',
    );
    const ids = await listing(ref, locale);
    if (!ids) return false;
    return (await members(key, async () => new Set(ids.map(String)))).has(String(id));
  };
  const blogMembers = memo<Map<string, number>>();
  const blogPosition = async (kind: BlogKind, slug: string) => {
    const index = await blogIndex();
    const positions = await blogMembers(
      kind,
      async () => new Map(index[kind].map((s, i) => [s, i])),
    );
    return positions.get(slug);
  };

  /** An entity a listing holds: missing from its chunk, the snapshot is damaged. */
  const read = async (path: string): Promise<JsonObject> => {
    const s = await store();
    const value = await s.readEntity(path);
    if (value === undefined) {
      throw snapshotError(`${path} is missing from the snapshot in ${s.location}`);
    }
    return value as JsonObject;
  };
  const entities = (listing: ListingRef, locale: string | null, ids: readonly Id[]) => {
    const folder = folderOf(listing, locale);
    return Promise.all(ids.map((id) => read(`${folder}/${escapeName(String(id))}.json`)));
  };
  const blogPath = (kind: BlogKind, slug: string) =>
    `${blogFolders[kind]}/${escapeName(slug)}.json`;

  return {
    manifest: async () => (await store()).manifest,
    probes: () => file<ProfileProbes>(paths.probes),
    // Not looked up in the manifest: bundles serve it without `hashes`. Absent: `undefined`.
    profile: () => file<ApiProfile | undefined>(PROFILE_FILE, false),
    localeIndex,
    blogIndex,
    listing,
    async entity(ref, locale) {
      const id = ref.kind === 'item' ? ref.id : ref.slug;
      const from: ListingRef =
        ref.kind === 'item'
          ? { kind: 'item', key: ref.key }
          : { kind: 'page', pageType: ref.pageType };
      if (!(await listed(from, locale, id))) return undefined;
      return (await entities(from, locale, [id]))[0];
    },
    entities,
    async blogEntity(kind, slug) {
      if ((await blogPosition(kind, slug)) === undefined) return undefined;
      return read(blogPath(kind, slug));
    },
    blogEntities: (kind, slugs) => Promise.all(slugs.map((slug) => read(blogPath(kind, slug)))),
    postPosition: (slug) => blogPosition('posts', slug),
  };
}
