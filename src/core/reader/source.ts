/**
 * The reader's view of a snapshot. Nothing is read on creation. The index files (listing order
 * of every kind) are read on first use and kept, with what is derived from them once per
 * snapshot (a `Listing` per listing: positions of its ids, the store's cell of each entity);
 * entities are read through the store's budgeted cache, so a call reads what it returns.
 */

import type { EntityRef, JsonObject, ListingRef, ProfileProbes } from '../model/content.ts';
import type { ContentPaths } from '../model/media-paths.ts';
import { type ApiProfile, PROFILE_FILE } from '../model/profile.ts';
import { parseRef } from '../model/refs.ts';
import { snapshotError } from '../snapshot/chunked.ts';
import type { BlogIndex, LocaleIndex } from '../snapshot/layout.ts';
import type { Manifest } from '../snapshot/manifest.ts';
import { blogFolders, escapeName, paths } from '../snapshot/names.ts';
import type { Cell, SnapshotStore } from '../snapshot/store.ts';

export type BlogKind = keyof typeof blogFolders;
type Id = string | number;

/** Listed entities: each must be in the snapshot (a listed entity missing is damage). */
export async function readEntities(
  store: SnapshotStore,
  cells: readonly Cell[],
): Promise<JsonObject[]> {
  const values = await store.values(cells);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === undefined) {
      throw snapshotError(`${cells[i]!.path} is missing from the snapshot in ${store.location}`);
    }
  }
  return values as JsonObject[];
}

/** One listing: its ids in listing order, and each one's entity. */
export class Listing {
  /** Which entities: pages or items (references can name them), or a blog kind. */
  readonly kind: 'page' | 'item' | BlogKind;
  /** Pages and items: the listing as references and the media probes name it. */
  readonly ref: ListingRef | undefined;
  readonly ids: readonly Id[];
  /** Where `{url, alt}`-shaped objects are content in its entities, once the reader learned it. */
  media: ContentPaths | undefined;
  readonly #folder: string;
  readonly #store: SnapshotStore;
  #positions: Map<string, number> | undefined;
  readonly #cells: (Cell | undefined)[] = [];

  constructor(
    store: SnapshotStore,
    folder: string,
    ids: readonly Id[],
    kind: Listing['kind'],
    ref?: ListingRef,
  ) {
    this.#store = store;
    this.#folder = folder;
    this.ids = ids;
    this.kind = kind;
    this.ref = ref;
  }

  /** Where `id` is in the listing (the last place if listed twice), `undefined` if it is not. */
  position(id: Id): number | undefined {
    this.#positions ??= new Map(this.ids.map((listed, i) => [String(listed), i]));
    return this.#positions.get(String(id));
  }

  /** The cell of the entity at `position`. */
  cellAt(position: number): Cell {
    let cell = this.#cells[position];
    if (!cell) {
      cell = this.#store.cell(this.#folder, escapeName(String(this.ids[position])));
      this.#cells[position] = cell;
    }
    return cell;
  }

  /** The cell of a listed entity, `undefined` when the listing does not hold `id`. */
  find(id: Id): Cell | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.cellAt(at);
  }

  /** The entities of `cells` (of this listing), in that order. */
  read(cells: readonly Cell[]): Promise<JsonObject[]> {
    return readEntities(this.#store, cells);
  }

  /** The entities at `positions`, in that order. */
  readAt(positions: readonly number[]): Promise<JsonObject[]> {
    return this.read(positions.map((at) => this.cellAt(at)));
  }
}

/** A reference URI inside an entity, to an entity its locale holds. */
export interface Link {
  uri: string;
  listing: Listing;
  cell: Cell;
}

/** The listings of one locale. */
export interface LocaleListings {
  index: LocaleIndex;
  /** A listing of pages (`'*'`: single pages) or items, `undefined` when it was not synced. */
  listing(ref: ListingRef): Listing | undefined;
  /** The entity a reference URI names, `undefined` when it is not one the locale holds. */
  link(uri: string): Link | undefined;
}

/** The blog's listings. */
export interface BlogListings {
  index: BlogIndex;
  of(kind: BlogKind): Listing;
}

export interface Source {
  store(): Promise<SnapshotStore>;
  manifest(): Promise<Manifest>;
  probes(): Promise<ProfileProbes>;
  /** The profile the sync learned (`profile.json`), or `undefined` in older snapshots. */
  profile(): Promise<ApiProfile | undefined>;
  locale(locale: string | null): Promise<LocaleListings>;
  blog(): Promise<BlogListings>;
  /** One page or item, or `undefined` when its listing does not hold it. */
  entity(ref: EntityRef, locale: string | null): Promise<JsonObject | undefined>;
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

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

function localeListings(
  store: SnapshotStore,
  locale: string | null,
  index: LocaleIndex,
): LocaleListings {
  const made = new Map<string, Listing | undefined>();
  // The same URIs come back in entity after entity: each is parsed and looked up once.
  const links = new Map<string, Link | null>();
  const listings: LocaleListings = {
    index,
    link(uri) {
      let link = links.get(uri);
      if (link === undefined) {
        const ref = parseRef(uri);
        const listing = ref && listings.listing(listingOf(ref));
        const cell = listing?.find(ref!.kind === 'item' ? ref!.id : ref!.slug);
        link = cell ? { uri, listing: listing!, cell } : null;
        links.set(uri, link);
      }
      return link ?? undefined;
    },
    listing(ref: ListingRef) {
      const name = ref.kind === 'item' ? ref.key : ref.pageType;
      const key = `${ref.kind}:${name}`;
      if (made.has(key)) return made.get(key);
      const ids =
        ref.kind === 'item'
          ? own(index.collections, ref.key)
          : ref.pageType === '*'
            ? index.singlePages
            : own(index.pageTypes, ref.pageType);
      const folder =
        ref.kind === 'item'
          ? paths.itemFolder(locale, ref.key)
          : paths.pageFolder(locale, ref.pageType);
      const listing = ids && new Listing(store, folder, ids, ref.kind, ref);
      made.set(key, listing);
      return listing;
    },
  };
  return listings;
}

/** The listing an entity reference points into. */
const listingOf = (ref: EntityRef): ListingRef =>
  ref.kind === 'item' ? { kind: 'item', key: ref.key } : { kind: 'page', pageType: ref.pageType };

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

  const locales = memo<LocaleListings>();
  const locale = (name: string | null) =>
    locales(name ?? '\u0000', async () =>
      localeListings(await store(), name, await file<LocaleIndex>(paths.localeIndex(name))),
    );
  let blog: Promise<BlogListings> | undefined;
  const blogListings = () => {
    blog ??= (async () => {
      const s = await store();
      const index = await file<BlogIndex>(paths.blogIndex);
      const listings = new Map<BlogKind, Listing>();
      return {
        index,
        of(kind: BlogKind) {
          let listing = listings.get(kind);
          if (!listing) {
            listing = new Listing(s, blogFolders[kind], index[kind], kind);
            listings.set(kind, listing);
          }
          return listing;
        },
      };
    })();
    blog.catch(() => {
      blog = undefined;
    });
    return blog;
  };

  return {
    store,
    manifest: async () => (await store()).manifest,
    probes: () => file<ProfileProbes>(paths.probes),
    // Not looked up in the manifest: bundles serve it without `hashes`. Absent: `undefined`.
    profile: () => file<ApiProfile | undefined>(PROFILE_FILE, false),
    locale,
    blog: blogListings,
    async entity(ref, name) {
      const listing = (await locale(name)).listing(
        ref.kind === 'item'
          ? { kind: 'item', key: ref.key }
          : { kind: 'page', pageType: ref.pageType },
      );
      const cell = listing?.find(ref.kind === 'item' ? ref.id : ref.slug);
      return cell && (await listing!.read([cell]))[0];
    },
  };
}
