/**
 * A partial crawl (watch mode): only the listings a change names — some page types, some
 * collections, the single pages, the blog — in every locale, merged into the content of the
 * current snapshot. A page type or collection the refreshed content references and the
 * snapshot does not hold yet is crawled too (discovery). Probes are kept, except those whose
 * entity lies in the refreshed part (fetched again, same request) and those missing or pointing
 * to an entity that is gone (chosen again from the merged content, as a full sync would).
 */
import { contentRecord } from '../json.ts';
import type { ResolvedOptions } from '../options.ts';
import { publicUrl } from '../redact.ts';
import { readSnapshot } from '../snapshot/index.ts';
import type {
  JsonObject,
  LocaleContent,
  ProfileProbes,
  SnapshotContent,
} from '../snapshot/model.ts';
import {
  type CrawlEnv,
  type CrawlOutput,
  type CrawlPlan,
  pickListings,
  startListings,
} from './crawl.ts';
import { emptyReferenced, referencedBy } from './discovery.ts';
import { isNotFound, localeProblem, unknownListing } from './failures.ts';
import {
  fetchCollection,
  fetchPageType,
  fetchPosts,
  fetchSinglePages,
  fetchTaxonomy,
} from './listings.ts';
import { refreshProbes } from './partial-probes.ts';
import type { SyncScope } from './types.ts';

export interface PartialBase {
  content: SnapshotContent;
  discovered: { pageTypes: string[]; collections: string[] };
}

export async function crawlPartial(
  plan: CrawlPlan,
  only: SyncScope,
  base: PartialBase,
  env: CrawlEnv,
): Promise<CrawlOutput> {
  const { group, listing, ctx } = startListings(plan, env);
  const locales: LocaleContent[] = base.content.locales.map((l) => ({
    locale: l.locale,
    singlePages: l.singlePages,
    pageTypes: contentRecord(l.pageTypes),
    collections: contentRecord(l.collections),
  }));
  const held = {
    pageType: new Set(locales.flatMap((l) => Object.keys(l.pageTypes))),
    collection: new Set(locales.flatMap((l) => Object.keys(l.collections))),
  };
  const configured = { pageType: new Set(plan.pageTypes), collection: new Set(plan.collections) };
  const scheduled = { pageType: new Set<string>(), collection: new Set<string>() };
  const gone = { pageType: new Set<string>(), collection: new Set<string>() };
  const refreshed = { pageTypes: new Set<string>(), collections: new Set<string>() };
  const seen = new Set<string>();
  const discover = (kind: 'page' | 'item', entities: JsonObject[]) => {
    const refs = referencedBy(kind, entities, emptyReferenced(seen));
    for (const name of refs.pageTypes) if (!held.pageType.has(name)) schedule('pageType', name);
    for (const name of refs.collections) {
      if (!held.collection.has(name)) schedule('collection', name);
    }
  };

  function schedule(kind: 'pageType' | 'collection', name: string) {
    if (scheduled[kind].has(name)) return;
    scheduled[kind].add(name);
    if (!held[kind].has(name) && !configured[kind].has(name)) {
      env.emit({ type: 'discovered', what: kind, name });
    }
    for (const content of locales) {
      listing(async () => {
        try {
          if (kind === 'pageType') {
            const pages = await fetchPageType(ctx, name, content.locale);
            content.pageTypes[name] = pages;
            refreshed.pageTypes.add(name);
            discover('page', pages);
          } else {
            const items = await fetchCollection(ctx, name, content.locale);
            content.collections[name] = items;
            refreshed.collections.add(name);
            discover('item', items);
          }
        } catch (error) {
          if (!isNotFound(error)) throw localeProblem(error, content.locale);
          if (configured[kind].has(name)) throw unknownListing(kind, name, error);
          if (kind === 'pageType') delete content.pageTypes[name];
          else delete content.collections[name];
          if (!gone[kind].has(name)) {
            gone[kind].add(name);
            env.warn(
              `${kind === 'pageType' ? 'page type' : 'collection'} \`${name}\` answers 404; dropped from the snapshot`,
            );
          }
        }
      });
    }
  }

  let blog = base.content.blog;
  let samples: (ProfileProbes['recentPosts'] | undefined)[] = [];
  if (only.blog) {
    listing(async () => {
      const [posts, authors, categories, tags] = await Promise.all([
        fetchPosts(ctx),
        fetchTaxonomy(ctx, 'authors'),
        fetchTaxonomy(ctx, 'categories'),
        fetchTaxonomy(ctx, 'tags'),
      ]);
      blog = {
        posts,
        authors: authors.entities,
        categories: categories.entities,
        tags: tags.entities,
        recentPosts: {
          authors: authors.recent,
          categories: categories.recent,
          tags: tags.recent,
        },
      };
      samples = [authors, categories, tags].map((t, i) =>
        t.sample
          ? { kind: (['authors', 'categories', 'tags'] as const)[i]!, ...t.sample }
          : undefined,
      );
    });
  }
  if (only.singlePages) {
    for (const content of locales) {
      listing(async () => {
        try {
          content.singlePages = await fetchSinglePages(ctx, content.locale);
        } catch (error) {
          throw localeProblem(error, content.locale);
        }
        discover('page', content.singlePages);
      });
    }
  }
  // Names neither configured nor held are left alone, as a full sync would unless referenced
  // (and the entity referencing them is refreshed with its own listing, which discovers them).
  const known = (kind: 'pageType' | 'collection', name: string) =>
    configured[kind].has(name) || held[kind].has(name);
  for (const name of only.pageTypes ?? []) if (known('pageType', name)) schedule('pageType', name);
  for (const name of only.collections ?? []) {
    if (known('collection', name)) schedule('collection', name);
  }
  await group.idle();

  env.emit({ type: 'phase', phase: 'probes' });
  const probes = await refreshProbes(base.content.probes, {
    api: env.api,
    first: locales[0],
    posts: blog.posts,
    levels: plan.levels,
    pageSize: plan.pageSize,
    preview: plan.preview,
    signal: env.signal,
    warn: env.warn,
    refreshed: { ...refreshed, singlePages: !!only.singlePages, blog: !!only.blog },
  });
  if (only.blog) {
    const sample = samples.find((s) => s !== undefined);
    if (sample) probes.recentPosts = sample;
    else delete probes.recentPosts;
  }

  const order = (kind: 'pageType' | 'collection', list: string[], previous: string[]) => {
    const names = new Set([...previous, ...scheduled[kind]]);
    const others = [...names].filter((n) => !configured[kind].has(n) && !gone[kind].has(n));
    return { all: [...list, ...others.sort()], discovered: others.sort() };
  };
  const pageTypes = order('pageType', plan.pageTypes, base.discovered.pageTypes);
  const collections = order('collection', plan.collections, base.discovered.collections);
  for (const content of locales) {
    content.pageTypes = pickListings(content.pageTypes, pageTypes.all);
    content.collections = pickListings(content.collections, collections.all);
  }
  return {
    content: { locales, blog, probes },
    pageTypes: pageTypes.all,
    collections: collections.all,
    discovered: { pageTypes: pageTypes.discovered, collections: collections.discovered },
  };
}

/**
 * The current snapshot as the base of a partial sync, or `undefined` (then the sync is a full
 * one) when there is none or it was synced with other settings.
 */
export async function partialBase(
  options: ResolvedOptions,
  locales: (string | null)[],
): Promise<PartialBase | undefined> {
  let snapshot: Awaited<ReturnType<typeof readSnapshot>>;
  try {
    snapshot = await readSnapshot(options.out);
  } catch {
    return undefined;
  }
  const { manifest, content } = snapshot;
  const same =
    manifest.source === publicUrl(options.apiUrl) &&
    manifest.levels === options.levels &&
    manifest.preview === options.preview &&
    JSON.stringify(manifest.locales) === JSON.stringify(locales);
  return same ? { content, discovered: manifest.discovered } : undefined;
}
