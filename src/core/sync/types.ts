/**
 * Public types of the sync: what it reports while it runs and what it returns.
 */
import type { Manifest } from '../snapshot/manifest.ts';
import type { Logger } from '../toolkit/log.ts';

/** The kinds of content a sync counts and reports progress for. */
export type ContentKind =
  | 'singlePages'
  | 'pages'
  | 'items'
  | 'posts'
  | 'authors'
  | 'categories'
  | 'tags';

export const CONTENT_KINDS: readonly ContentKind[] = [
  'singlePages',
  'pages',
  'items',
  'posts',
  'authors',
  'categories',
  'tags',
];

export type EntityCounts = Record<ContentKind, number>;

export type SyncPhase = 'crawl' | 'probes' | 'media' | 'write' | 'types' | 'done';

export type SyncEvent =
  /** Entities of a kind fetched so far, of the total the API announced (`meta.count`). */
  | { type: 'progress'; kind: ContentKind; done: number; total: number }
  | { type: 'phase'; phase: SyncPhase }
  /** Media files handled (downloaded or found in the cache) of those the content uses. */
  | { type: 'media'; done: number; total: number }
  /** A page type or collection found through a reference, beyond the configured ones. */
  | { type: 'discovered'; what: 'pageType' | 'collection'; name: string }
  /** A request is retried (`endpoint` never carries the token). */
  | { type: 'retry'; endpoint: string; attempt: number; reason: string; delayMs: number };

/**
 * The part of the account a partial sync refreshes (watch mode); everything else is taken from
 * the current snapshot. Page types and collections are refreshed in every locale.
 */
export interface SyncScope {
  pageTypes?: string[];
  collections?: string[];
  singlePages?: boolean;
  /** Posts, authors, categories and tags. */
  blog?: boolean;
}

export interface SyncHooks {
  /**
   * Refresh only this part and merge it into the current snapshot. Without a usable snapshot
   * (none yet, or synced with other settings) the sync is a full one.
   */
  only?: SyncScope;
  onProgress?(event: SyncEvent): void;
  /** Warnings as they happen, and `debug` lines (each retry) when the logger has `debug`. */
  logger?: Pick<Logger, 'warn'> & Partial<Logger>;
  /** Stops the sync (the previous snapshot stays untouched). */
  signal?: AbortSignal;
  /**
   * A fetch for the API client and the media downloads (tests wrap it). Without it the client
   * speaks `node:http(s)` (Node's global agents) and media downloads use `globalThis.fetch`.
   */
  fetch?: typeof fetch;
  /** Environment for the token and API URL defaults. @default process.env */
  env?: Record<string, string | undefined>;
}

/** What a warm sync checked, skipped and fetched again (`SyncResult.warm`). */
export interface WarmReport {
  /** Listings checked with a cheap request: each page type in each locale, and the posts (sitemap). */
  checked: number;
  /** Of those, proven unchanged and not fetched again. */
  skipped: number;
  /**
   * Listings fetched again whole: those that may have changed, and those no cheap check can
   * prove unchanged (single pages and collections, in each locale).
   */
  refetched: number;
  /** Post listing pages fetched for the posts the sitemap shows added or modified. */
  postPages: number;
  /** The API requests a cold sync of the same content makes: every listing page and probe. */
  coldRequests: number;
  /** `coldRequests` less the requests this sync made. */
  callsSaved: number;
}

export interface SyncResult {
  /** HTTP requests made to the API (retries included). */
  requests: number;
  /** Of those, retries. */
  retries: number;
  /** Response body bytes received from the API. */
  bytes: number;
  /** Entities stored, by kind (summed over locales for localized content). */
  entities: EntityCounts;
  /** Page types and collection keys synced (configured first, then discovered). */
  pageTypes: string[];
  collections: string[];
  /** Locales synced (`null`: the account's default, without a `locale` parameter). */
  locales: (string | null)[];
  /** Found through references but not configured: add them to `pageTypes` / `collections`. */
  discovered: { pageTypes: string[]; collections: string[] };
  preview: boolean;
  levels: number;
  /** Absolute snapshot folder. */
  out: string;
  /** Set when the sync was a warm one (a snapshot of the same options was there; not `full`). */
  warm?: WarmReport;
  /** The part refreshed, when the sync was a partial one (`hooks.only`). */
  partial?: SyncScope;
  /** False when the content equalled the previous snapshot and nothing was written. */
  changed: boolean;
  durationMs: number;
  /** Milliseconds per phase (crawl includes the probes). */
  timings: { crawlMs: number; mediaMs: number; writeMs: number; typesMs: number };
  /** Non-fatal problems (a referenced page type that no longer exists, skipped stages …). */
  warnings: string[];
  /** The snapshot's manifest after the sync (the previous one when nothing changed). */
  manifest: Manifest;
  /** What the media stage did, when it ran. */
  media?: MediaStageReport;
  /** What the types stage did, when it ran. */
  types?: TypesStageReport;
}

export interface MediaStageReport {
  /** Media files the content uses. */
  files: number;
  downloaded: number;
  /** Found in the media cache. */
  cached: number;
  failed: number;
  /** Bytes downloaded. */
  bytes: number;
  /** One line for the sync's summary (`12 media files (3 downloaded, 9 cached)`). */
  summary: string;
  /** Media URLs on hosts not in `mediaHosts` (left remote, never requested), by host. */
  remote: Record<string, number>;
  /**
   * Files the content no longer uses, removed after the write (only from a media folder inside
   * the snapshot folder).
   */
  removed?: number;
}

export interface TypesStageReport {
  /** Absolute path of the declarations file. */
  file: string;
  /** Whether its text changed (false: left as it was). */
  changed: boolean;
  /** Type changes since the previous snapshot's lock. */
  changes: number;
  /** Of those, the ones that can break code using the types. */
  breaking: number;
}
