/**
 * The crawl: every listing of every locale at once (through the client's single concurrency
 * limit, which serves first pages before bulk pages), blog included; each finished listing is
 * scanned for references, and page types or collections nobody configured are crawled as soon
 * as they are found, until none are new. Then the probes. The result is the normalized
 * `SnapshotContent`.
 */

import type {
  EntityList,
  JsonObject,
  ListingRef,
  LocaleContent,
  StagedContent,
} from '../model/content.ts';
import { contentRecord } from '../model/json.ts';
import { metaCount } from '../model/listing.ts';
import { referencedByExpanded } from './discovery.ts';
import { type CrawlEnv, type CrawlPlan, createCrawlEngine, pickListings } from './engine.ts';
import type { ListingKind } from './failures.ts';
import { fetchPosts, fetchTaxonomy, type OnFirstPage, type Taxonomy } from './listings.ts';
import { createProber, mediaProbeSize } from './probes.ts';

export interface CrawlOutput {
  content: StagedContent;
  pageTypes: string[];
  collections: string[];
  discovered: { pageTypes: string[]; collections: string[] };
}

type Kind = ListingKind;

export async function crawl(plan: CrawlPlan, env: CrawlEnv): Promise<CrawlOutput> {
  const locales: LocaleContent<EntityList>[] = plan.locales.map((locale) => ({
    locale,
    singlePages: [],
    pageTypes: contentRecord(),
    collections: contentRecord(),
  }));
  const engine = createCrawlEngine(plan, env, locales, {
    firstPage: (listing, content) => (content === first ? firstPageOf(listing) : undefined),
    arrived: (listing, content, entities) => {
      if (listing.kind === 'item') {
        content.collections[listing.key] = entities;
        return;
      }
      if (listing.pageType === '*') content.singlePages = entities;
      else content.pageTypes[listing.pageType] = entities;
      if (content === first && probesFirstPages(listing.pageType)) {
        candidatesKnown(listing.pageType, entities, true);
      }
    },
    notFoundWarning: (what, name) =>
      `${what} \`${name}\` is referenced by content but the API answers 404 for it; skipped`,
  });
  const { group, listing, ctx, configured, scheduled, missing, schedule, discover } = engine;

  const first = locales[0];
  const prober = createProber(
    {
      ...ctx,
      levels: plan.levels,
      warn: env.warn,
      pageSize: plan.pageSize,
      run: (task) => group.run(task),
      idle: () => group.idle(),
    },
    first?.locale ?? null,
    plan.pageTypes,
  );
  // The embedded probe is chosen among the single pages and the configured page types of the
  // first locale, in that order. Known pages settle the choice as soon as it cannot change: a
  // page referring to both a page and an item after complete listings only, or every listing
  // complete. Often that is after the first pages, long before the crawl ends.
  const candidates = new Map<string, { pages: EntityList; complete: boolean }>();
  const candidatesKnown = (name: string, pages: EntityList, complete: boolean) => {
    if (!first) return;
    candidates.set(name, { pages, complete });
    const known: LocaleContent<EntityList> = {
      ...first,
      singlePages: [],
      pageTypes: contentRecord(),
      collections: contentRecord(),
    };
    for (const listingName of ['*', ...plan.pageTypes]) {
      const listed = candidates.get(listingName);
      if (!listed) return;
      if (listingName === '*') known.singlePages = listed.pages;
      else known.pageTypes[listingName] = listed.pages;
      if (!listed.complete) {
        prober.embeddedCandidates(known, false);
        return;
      }
    }
    prober.embeddedCandidates(known, true);
  };
  /** Tells the candidates about a listing's first page (complete when it has no next). */
  const firstCandidatePage = (name: string, body: JsonObject, pages: JsonObject[]) => {
    if (!candidates.has(name)) candidatesKnown(name, pages, !hasNextPage(body));
  };

  /** A listing of the first locale answered its first page: its media probe can start. */
  const firstListingPage = (listing: ListingRef, items: JsonObject[]) => {
    const size = mediaProbeSize(items);
    if (size === 0) return;
    prober.mediaProbe(listing, size);
  };

  /** Whether a page type's pages (`'*'`: the single pages) are candidates of the embedded probe. */
  const probesFirstPages = (pageType: string) =>
    pageType === '*' || configured.pageType.has(pageType);
  /** A listing's first page in the first locale: its media probe, the embedded probe's candidates. */
  const firstPageOf =
    (listing: ListingRef): OnFirstPage =>
    (body, items) => {
      firstListingPage(listing, items);
      if (listing.kind !== 'page' || !probesFirstPages(listing.pageType)) return;
      if (listing.pageType !== '*') {
        prober.pageTypeFirstPage(listing.pageType, metaCount(body) ?? items.length);
      }
      firstCandidatePage(listing.pageType, body, items);
    };

  let posts: EntityList = [];
  listing(async () => {
    posts = await fetchPosts(ctx, (_body, items) => prober.postsFirstPage(items));
  });
  engine.singlePages();
  for (const name of plan.pageTypes) schedule('pageType', name);
  for (const name of plan.collections) schedule('collection', name);
  const taxonomies = {} as Record<Taxonomy, Awaited<ReturnType<typeof fetchTaxonomy>>>;
  for (const kind of ['authors', 'categories', 'tags'] as const) {
    listing(async () => {
      taxonomies[kind] = await fetchTaxonomy(ctx, kind);
    });
  }

  const order = (kind: Kind, list: string[]) => {
    const discovered = [...scheduled[kind]].filter((n) => !configured[kind].has(n)).sort();
    return [...list, ...discovered].filter((n) => !missing[kind].has(n));
  };
  // The listings in their final order, not the order they were answered in: the probes
  // chosen from them must not depend on it.
  const ordered = (content: LocaleContent<EntityList>): LocaleContent<EntityList> => ({
    ...content,
    pageTypes: pickListings(content.pageTypes, order('pageType', plan.pageTypes)),
    collections: pickListings(content.collections, order('collection', plan.collections)),
  });

  await group.idle();
  env.emit({ type: 'phase', phase: 'probes' });
  const probes = await prober.finish(first && ordered(first), posts);
  for (const kind of ['authors', 'categories', 'tags'] as const) {
    const sample = taxonomies[kind].sample;
    if (sample && !probes.recentPosts) probes.recentPosts = { kind, ...sample };
  }
  for (const probe of probes.embedded) discover(referencedByExpanded(probe.body));
  await group.idle();

  const pageTypes = order('pageType', plan.pageTypes);
  const collections = order('collection', plan.collections);
  for (const content of locales) Object.assign(content, ordered(content));

  return {
    content: {
      locales,
      blog: {
        posts,
        authors: taxonomies.authors.entities,
        categories: taxonomies.categories.entities,
        tags: taxonomies.tags.entities,
        recentPosts: {
          authors: taxonomies.authors.recent,
          categories: taxonomies.categories.recent,
          tags: taxonomies.tags.recent,
        },
      },
      probes,
    },
    pageTypes,
    collections,
    discovered: {
      pageTypes: pageTypes.filter((n) => !configured.pageType.has(n)),
      collections: collections.filter((n) => !configured.collection.has(n)),
    },
  };
}

function hasNextPage(body: JsonObject): boolean {
  const meta = body.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return false;
  return typeof meta.next_page === 'number';
}
