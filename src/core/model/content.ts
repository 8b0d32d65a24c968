/**
 * The normalized content of one sync, in memory: what the crawler produces, the snapshot store
 * writes and reads back, and the reader, media and type stages consume.
 *
 * Every entity is the API's own JSON for it, fetched with `levels=1` and `alt_media_text=1`:
 * references are therefore URIs (each entity is stored once, references stay references) and
 * media fields identify themselves as `{url, alt}`. Deeper levels are rebuilt by the reader
 * from these entities plus the `ApiProfile` learned by a few probe requests.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Identity of an entity a reference can point to. */
export type EntityRef =
  | { kind: 'page'; pageType: string; slug: string }
  | { kind: 'item'; key: string; id: number };

/** A listing of pages (page type `'*'`: the single pages) or of one collection's items. */
export type ListingRef = { kind: 'page'; pageType: string } | { kind: 'item'; key: string };

/**
 * A listing's entities in listing order, as the sync's stages read them: an array, or the
 * entities a crawl spooled to disk as their pages arrived (`sync/spool.ts`), which are parsed
 * again at each pass and never all held at once. Code that takes one iterates it, or asks for
 * one entity by index; it never keeps the entities it reads.
 */
export interface EntityList extends Iterable<JsonObject> {
  readonly length: number;
  at(index: number): JsonObject | undefined;
  /** A new list, held as this one is, of what `change` makes of each entity. */
  map(change: (entity: JsonObject) => JsonObject): EntityList;
  /**
   * Entity `index` as JSON text (`JSON.stringify`'s), for a list that holds texts (spooled):
   * the write stores it as it is. Arrays have none: their entities are rendered.
   */
  text?(index: number): string;
  /**
   * Each entity's id (a page's slug, an item's `meta.id`), unique, when the list knows them
   * without reading its entities (one read from a snapshot, whose index lists them).
   */
  readonly ids?: readonly (string | number)[];
}

/** Content of one locale (`L`: how its listings are held). */
export interface LocaleContent<L extends EntityList = JsonObject[]> {
  /** Locale slug sent as `locale=`, or `null` for the account's default (no parameter sent). */
  locale: string | null;
  /** Single pages (`/pages/*\/`), in the server's listing order. */
  singlePages: L;
  /** Pages per page type slug, in the server's listing order. */
  pageTypes: { [pageType: string]: L };
  /** Items per collection key, in the server's listing order; each carries `meta.id`. */
  collections: { [key: string]: L };
}

/** The blog is not localized. */
export interface BlogContent<L extends EntityList = JsonObject[]> {
  /** Posts in list shape (as `/posts/` serves them), in the server's order (newest first). */
  posts: L;
  /** Authors, categories and tags without `recent_posts`. */
  authors: L;
  categories: L;
  tags: L;
  /** `recent_posts` as the server listed them (`include=recent_posts`), as post slugs. */
  recentPosts: {
    authors: { [slug: string]: string[] };
    categories: { [slug: string]: string[] };
    tags: { [slug: string]: string[] };
  };
}

/**
 * Raw answers to the probe requests a sync makes so the reader can reproduce shapes the docs
 * leave open (embedded references, post detail) instead of assuming them.
 */
export interface ProfileProbes {
  /** `GET /posts/<slug>/` for a post with neighbours on both sides when there is one. */
  postDetail?: { slug: string; body: JsonObject };
  /** Entities holding references, fetched again at `levels=2` (detail endpoints). */
  embedded: { entity: EntityRef; locale: string | null; body: JsonObject }[];
  /** `GET /pages/<type>/?levels=1` without pagination parameters (the default page size). */
  pageListDefault?: { pageType: string; body: JsonObject };
  /**
   * Optional: one `include=recent_posts` answer of an author, category or tag that has recent
   * posts (the list body or the detail body), so the reader learns the shape of a
   * `recent_posts` entry. Without it the reader uses the post detail shape (as recorded).
   */
  recentPosts?: { kind: 'authors' | 'categories' | 'tags'; slug: string; body: JsonObject };
  /**
   * Optional: the first entities of each page listing and collection (first locale) fetched
   * again without `alt_media_text`, as many as fill every `{url, alt}`-shaped field the first
   * page fills (`mediaProbeSize`). A `{url, alt}` object stored at a path where this answer has
   * a URL string is media; where it still has the object, it is content (a repeater of links,
   * say) and the reader must not turn it into a URL. Without it the reader treats every
   * `{url[, alt]}` object as media.
   */
  media?: { listing: ListingRef; locale: string | null; body: JsonObject }[];
}

export interface SnapshotContent<L extends EntityList = JsonObject[]> {
  /** One entry per synced locale, in the configured order (the default locale first). */
  locales: LocaleContent<L>[];
  blog: BlogContent<L>;
  probes: ProfileProbes;
}

/** Content as the sync's stages take it: listings held in memory or spooled. */
export type StagedContent = SnapshotContent<EntityList>;

/** What the sync reports alongside the content. */
export interface SyncFacts {
  /** Source API URL, never with the token. */
  source: string;
  levels: number;
  preview: boolean;
  /** Page types and collection keys found through references, beyond the configured ones. */
  discovered: { pageTypes: string[]; collections: string[] };
  /**
   * Digest of the options that shape the content (the sync computes it); when absent the store
   * derives one from source, levels, preview and locales.
   */
  optionsDigest?: string;
}
