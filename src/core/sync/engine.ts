/**
 * The crawl engine both crawls drive, the full one (`crawl.ts`) and the partial one
 * (`partial.ts`): every listing in every locale at once through one task group, each page type
 * and collection scheduled once, the names their references reach scheduled as they are found
 * (discovery), and a 404 told apart: a configured listing fails the sync, a referenced one is
 * warned about once and left out. What a crawl does with a listing that arrived (store it,
 * compare it, choose probes from it) is its own, through `CrawlHooks`.
 */

import type { EntityList, ListingRef, LocaleContent } from '../model/content.ts';
import { contentRecord } from '../model/json.ts';
import type { Spool } from '../snapshot/spool.ts';
import type { SyncApi } from './api.ts';
import { emptyReferenced, type Referenced, referencedBy } from './discovery.ts';
import { isNotFound, type ListingKind, localeProblem, unknownListing } from './failures.ts';
import {
  fetchCollection,
  fetchPageType,
  fetchSinglePages,
  type ListingContext,
  type OnFirstPage,
} from './listings.ts';
import type { Progress } from './progress.ts';
import { createTaskGroup } from './tasks.ts';
import type { SyncEvent } from './types.ts';

/** What a crawl fetches. */
export interface CrawlPlan {
  /** `null`: the account's default locale, without a `locale` parameter. */
  locales: (string | null)[];
  pageTypes: string[];
  collections: string[];
  levels: number;
  preview: boolean;
  pageSize: number;
}

/** What a crawl runs with. */
export interface CrawlEnv {
  api: SyncApi;
  progress: Progress;
  emit(event: SyncEvent): void;
  warn(message: string): void;
  signal?: AbortSignal;
  /** Where the listings' entities go (see `spool.ts`). */
  spool: Spool;
}

/** The task group of one crawl, how a listing starts, and the context every listing gets. */
export function startListings(plan: CrawlPlan, env: CrawlEnv) {
  const group = createTaskGroup(env.signal);
  // Every listing starts at once: the client serves each listing's first page before the
  // pages listings fetch in bulk, so all lengths are known early and the bulk keeps the
  // concurrency limit full to the end.
  const listing = (task: () => Promise<void>) => group.run(task);
  const ctx: ListingContext = {
    api: env.api,
    pageSize: plan.pageSize,
    preview: plan.preview,
    progress: env.progress,
    signal: group.signal,
    spool: env.spool,
  };
  return { group, listing, ctx };
}

/** What a crawl does with the listings it fetches (page type `'*'`: the single pages). */
export interface CrawlHooks {
  /** Names the crawl holds already: discovery does not schedule them, nor announce them. */
  held?: { [kind in ListingKind]: ReadonlySet<string> };
  /** Called with a listing's first page in `content`, if the crawl wants it. */
  firstPage?(listing: ListingRef, content: LocaleContent<EntityList>): OnFirstPage | undefined;
  /** A listing arrived whole in `content`: the crawl keeps it (discovery follows). */
  arrived(listing: ListingRef, content: LocaleContent<EntityList>, entities: EntityList): void;
  /** A referenced listing answered 404 in `content` (before the warning). */
  notFound?(kind: ListingKind, name: string, content: LocaleContent<EntityList>): void;
  /** The warning, once per name, about a referenced listing that answered 404. */
  notFoundWarning(what: string, name: string): string;
}

export function createCrawlEngine(
  plan: CrawlPlan,
  env: CrawlEnv,
  locales: LocaleContent<EntityList>[],
  hooks: CrawlHooks,
) {
  const { group, listing, ctx } = startListings(plan, env);
  const configured = { pageType: new Set(plan.pageTypes), collection: new Set(plan.collections) };
  const held = hooks.held ?? { pageType: new Set<string>(), collection: new Set<string>() };
  const scheduled = { pageType: new Set<string>(), collection: new Set<string>() };
  /** Referenced names that answered 404 (left out). */
  const missing = { pageType: new Set<string>(), collection: new Set<string>() };
  const seenUris = new Set<string>();

  const discover = (refs: Referenced) => {
    for (const name of refs.pageTypes) if (!held.pageType.has(name)) schedule('pageType', name);
    for (const name of refs.collections) {
      if (!held.collection.has(name)) schedule('collection', name);
    }
  };
  /** Schedules what `entities` (pages or items) refer to, each URI looked at once per crawl. */
  const discoverIn = (kind: 'page' | 'item', entities: EntityList) =>
    discover(referencedBy(kind, entities, emptyReferenced(seenUris)));

  /** Crawls a page type or a collection in every locale, once per crawl. */
  function schedule(kind: ListingKind, name: string) {
    if (scheduled[kind].has(name)) return;
    scheduled[kind].add(name);
    if (!held[kind].has(name) && !configured[kind].has(name)) {
      env.emit({ type: 'discovered', what: kind, name });
    }
    const ref: ListingRef =
      kind === 'pageType' ? { kind: 'page', pageType: name } : { kind: 'item', key: name };
    for (const content of locales) {
      listing(async () => {
        try {
          const onFirstPage = hooks.firstPage?.(ref, content);
          const entities =
            kind === 'pageType'
              ? await fetchPageType(ctx, name, content.locale, onFirstPage)
              : await fetchCollection(ctx, name, content.locale, onFirstPage);
          hooks.arrived(ref, content, entities);
          discoverIn(kind === 'pageType' ? 'page' : 'item', entities);
        } catch (error) {
          if (!isNotFound(error)) throw localeProblem(error, content.locale);
          if (configured[kind].has(name)) throw unknownListing(kind, name, error);
          hooks.notFound?.(kind, name, content);
          if (!missing[kind].has(name)) {
            missing[kind].add(name);
            env.warn(hooks.notFoundWarning(kind === 'pageType' ? 'page type' : 'collection', name));
          }
        }
      });
    }
  }

  /** Crawls the single pages in every locale. */
  function singlePages() {
    const ref: ListingRef = { kind: 'page', pageType: '*' };
    for (const content of locales) {
      listing(async () => {
        let pages: EntityList;
        try {
          pages = await fetchSinglePages(ctx, content.locale, hooks.firstPage?.(ref, content));
        } catch (error) {
          throw localeProblem(error, content.locale);
        }
        hooks.arrived(ref, content, pages);
        discoverIn('page', pages);
      });
    }
  }

  return {
    group,
    listing,
    ctx,
    configured,
    scheduled,
    missing,
    schedule,
    singlePages,
    discover,
  };
}

/** The listings of `record` that `names` names, in that order (a record for content keys). */
export function pickListings<T>(
  record: { [name: string]: T },
  names: string[],
): { [name: string]: T } {
  const out = contentRecord<T>();
  for (const name of names) if (Object.hasOwn(record, name)) out[name] = record[name]!;
  return out;
}
