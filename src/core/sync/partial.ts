/**
 * A partial crawl (watch mode): only the listings a change names — some page types, some
 * collections, the single pages, the blog — in every locale, merged into the content of the
 * current snapshot. A page type or collection the refreshed content references and the
 * snapshot does not hold yet is crawled too (discovery). Probes are kept, except those whose
 * entity lies in the refreshed part (fetched again, same request) and those missing or pointing
 * to an entity that is gone (chosen again from the merged content, as a full sync would).
 */

import { relative } from 'node:path';
import { publicPath, readManifest, rewriteEntities } from '../media/index.ts';
import type {
  BlogContent,
  EntityList,
  JsonObject,
  LocaleContent,
  ProfileProbes,
  StagedContent,
} from '../model/content.ts';
import { contentRecord } from '../model/json.ts';
import type { ResolvedOptions } from '../options.ts';
import { publicUrl } from '../redact.ts';
import { hashText } from '../snapshot/hash.ts';
import { readManifest as readSnapshotManifest } from '../snapshot/index.ts';
import { readSnapshotSpooled } from '../snapshot/read.ts';
import type { Spool } from '../snapshot/spool.ts';
import type { CrawlOutput } from './crawl.ts';
import { emptyReferenced, referencedBy } from './discovery.ts';
import { type CrawlEnv, type CrawlPlan, createCrawlEngine, pickListings } from './engine.ts';
import { fetchPosts, fetchTaxonomy, type ListingContext } from './listings.ts';
import { refreshProbes } from './partial-probes.ts';
import type { SyncScope } from './types.ts';

export interface PartialBase {
  content: StagedContent;
  discovered: { pageTypes: string[]; collections: string[] };
  /**
   * Entities as this snapshot stores them: the media URLs it downloaded rewritten to their local
   * paths, so an answer compares equal to what was stored from the same answer.
   */
  stored: StoredForm;
}

/** Turns answered entities into the form the snapshot stores them in (see `PartialBase`). */
export type StoredForm = (entities: JsonObject[]) => JsonObject[];

/** The blog as refreshed: content, the `recentPosts` probe's answer, and whether posts changed. */
export interface BlogRefresh {
  blog: BlogContent<EntityList>;
  recentPosts: ProfileProbes['recentPosts'] | undefined;
  postsChanged: boolean;
}

/** Refreshes the blog (by default every post and taxonomy again: `fetchBlog`). */
export type BlogSource = (
  ctx: ListingContext,
  base: BlogContent<EntityList>,
) => Promise<BlogRefresh>;

/** Every post, author, category and tag again. */
export async function fetchBlog(ctx: ListingContext): Promise<BlogRefresh> {
  const [posts, ...taxonomies] = await Promise.all([
    fetchPosts(ctx),
    ...TAXONOMIES.map((kind) => fetchTaxonomy(ctx, kind)),
  ]);
  return { ...blogOf(posts, taxonomies), postsChanged: true };
}

const TAXONOMIES = ['authors', 'categories', 'tags'] as const;
type Fetched = Awaited<ReturnType<typeof fetchTaxonomy>>;

/** The blog of these posts and taxonomies (authors, categories, tags), as a full sync stores it. */
export function blogOf(
  posts: EntityList,
  [authors, categories, tags]: Fetched[],
): Omit<BlogRefresh, 'postsChanged'> {
  const sampled = [authors, categories, tags].findIndex((t) => t?.sample !== undefined);
  const sample = sampled === -1 ? undefined : [authors, categories, tags][sampled]!.sample!;
  return {
    blog: {
      posts,
      authors: authors!.entities,
      categories: categories!.entities,
      tags: tags!.entities,
      recentPosts: { authors: authors!.recent, categories: categories!.recent, tags: tags!.recent },
    },
    recentPosts: sample ? { kind: TAXONOMIES[sampled]!, ...sample } : undefined,
  };
}

export async function crawlPartial(
  plan: CrawlPlan,
  only: SyncScope,
  base: PartialBase,
  env: CrawlEnv,
  blogSource: BlogSource = fetchBlog,
): Promise<CrawlOutput> {
  const locales: LocaleContent<EntityList>[] = base.content.locales.map((l) => ({
    locale: l.locale,
    singlePages: l.singlePages,
    pageTypes: contentRecord(l.pageTypes),
    collections: contentRecord(l.collections),
  }));
  const held = {
    pageType: new Set(locales.flatMap((l) => Object.keys(l.pageTypes))),
    collection: new Set(locales.flatMap((l) => Object.keys(l.collections))),
  };
  const refreshed = { pageTypes: new Set<string>(), collections: new Set<string>() };
  let singlePagesChanged = false;
  const engine = createCrawlEngine(plan, env, locales, {
    held,
    // A listing the snapshot stores as answered keeps the snapshot's entities: already in their
    // stored form, and known to the write as unchanged (see `WriteOptions.unchanged`).
    arrived: (listing, content, entities) => {
      if (listing.kind === 'item') {
        if (storesAs(content.collections[listing.key], entities, base.stored)) return;
        refreshed.collections.add(listing.key);
        content.collections[listing.key] = entities;
      } else if (listing.pageType === '*') {
        if (storesAs(content.singlePages, entities, base.stored)) return;
        singlePagesChanged = true;
        content.singlePages = entities;
      } else {
        if (storesAs(content.pageTypes[listing.pageType], entities, base.stored)) return;
        refreshed.pageTypes.add(listing.pageType);
        content.pageTypes[listing.pageType] = entities;
      }
    },
    notFound: (kind, name, content) => {
      if (kind === 'pageType') {
        if (content.pageTypes[name]) refreshed.pageTypes.add(name);
        delete content.pageTypes[name];
      } else {
        if (content.collections[name]) refreshed.collections.add(name);
        delete content.collections[name];
      }
    },
    notFoundWarning: (what, name) => `${what} \`${name}\` answers 404; dropped from the snapshot`,
  });
  const { group, listing, ctx, configured, scheduled, missing: gone, schedule } = engine;

  let blog = base.content.blog;
  let recentPosts = base.content.probes.recentPosts;
  let postsChanged = false;
  if (only.blog) {
    listing(async () => {
      ({ blog, recentPosts, postsChanged } = await blogSource(ctx, base.content.blog));
    });
  }
  if (only.singlePages) engine.singlePages();
  // Names neither configured nor held are left alone, as a full sync would unless referenced
  // (and the entity referencing them is refreshed with its own listing, which discovers them).
  const known = (kind: 'pageType' | 'collection', name: string) =>
    configured[kind].has(name) || held[kind].has(name);
  for (const name of only.pageTypes ?? []) if (known('pageType', name)) schedule('pageType', name);
  for (const name of only.collections ?? []) {
    if (known('collection', name)) schedule('collection', name);
  }
  await group.idle();

  // A full sync holds what the configuration reaches through references: a name no longer
  // referenced (its referrer deleted or edited) goes. When no page or item listing changed, the
  // references did not either: what the snapshot reached, it still reaches (and walking every
  // reference of a large account again would cost more than the rest of a warm sync's crawl).
  // The listings take their final order before the probes are chosen from them, as in a full sync.
  const same = refreshed.pageTypes.size === 0 && refreshed.collections.size === 0;
  const reached = same && !singlePagesChanged ? undefined : reachable(locales, plan);
  const order = (kind: 'pageType' | 'collection', list: string[], previous: string[]) => {
    const names = new Set([...previous, ...scheduled[kind]]);
    const others = [...names].filter(
      (n) => !configured[kind].has(n) && !gone[kind].has(n) && (reached?.[kind].has(n) ?? true),
    );
    return { all: [...list, ...others.sort()], discovered: others.sort() };
  };
  const pageTypes = order('pageType', plan.pageTypes, base.discovered.pageTypes);
  const collections = order('collection', plan.collections, base.discovered.collections);
  for (const content of locales) {
    content.pageTypes = pickListings(content.pageTypes, pageTypes.all);
    content.collections = pickListings(content.collections, collections.all);
  }
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
    configuredPageTypes: plan.pageTypes,
    refreshed: { ...refreshed, singlePages: singlePagesChanged, blog: postsChanged },
  });
  if (recentPosts) probes.recentPosts = recentPosts;
  else delete probes.recentPosts;

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
  spool: Spool,
): Promise<PartialBase | undefined> {
  const manifest = await readSnapshotManifest(options.out).catch(() => undefined);
  const same =
    manifest !== undefined &&
    manifest.source === publicUrl(options.apiUrl) &&
    manifest.levels === options.levels &&
    manifest.preview === options.preview &&
    JSON.stringify(manifest.locales) === JSON.stringify(locales) &&
    manifest.optionsDigest === contentOptionsDigest(options, locales);
  if (!same) return undefined;
  let content: StagedContent;
  try {
    ({ content } = await readSnapshotSpooled(options.out, spool));
  } catch {
    return undefined;
  }
  return { content, discovered: manifest.discovered, stored: await storedForm(options) };
}

/** The media stage's rewrite of answered entities, from the media this snapshot downloaded. */
async function storedForm(options: ResolvedOptions): Promise<StoredForm> {
  if (!options.media) return (entities) => entities;
  const local = new Map<string, string>();
  for (const [url, entry] of await readManifest(options.mediaDir)) {
    local.set(url, publicPath(options.mediaBase, entry.file));
  }
  return (entities) => (local.size === 0 ? entities : rewriteEntities(entities, local));
}

/**
 * The manifest's `optionsDigest`: the options that shape the stored content. Besides source,
 * levels, preview and locales, the media settings: stored listings carry their URLs as the
 * media stage rewrote them, so a snapshot rewritten under other settings cannot be reused.
 */
export function contentOptionsDigest(
  options: ResolvedOptions,
  locales: readonly (string | null)[],
): string {
  return hashText(
    JSON.stringify({
      source: publicUrl(options.apiUrl),
      levels: options.levels,
      preview: options.preview,
      locales,
      media: options.media && {
        dir: relative(options.out, options.mediaDir),
        base: options.mediaBase,
        hosts: options.mediaHosts,
      },
    }),
  ).slice(0, 16);
}

/**
 * Whether `answered` entities, in the form the snapshot stores them, are the `stored` ones
 * (`undefined`: none held).
 */
export function storesAs(
  stored: EntityList | undefined,
  answered: EntityList,
  form: StoredForm,
): boolean {
  if (stored === undefined || stored.length !== answered.length) return false;
  // One entity at a time: a spooled listing is never read whole.
  let index = 0;
  for (const entity of answered) {
    const at = index++;
    const text = stored.text ? stored.text(at) : JSON.stringify(stored.at(at));
    if (JSON.stringify(form([entity])[0]) !== text) return false;
  }
  return true;
}

/**
 * The entity lists of `content` that are the base snapshot's own, at the same place, none of
 * whose entities the media stage rewrote (`rewritten`): what the snapshot stores there already,
 * which the write keeps as it is (`WriteOptions.unchanged`).
 */
export function keptListings(
  base: StagedContent,
  content: StagedContent,
  rewritten: ReadonlySet<object>,
): Set<EntityList> {
  const kept = new Set<EntityList>();
  const keep = (now: EntityList | undefined, before: EntityList | undefined) => {
    if (now === undefined || now !== before) return;
    // A spooled listing whose media URLs were rewritten was replaced by a new one.
    if (!Array.isArray(now) || !now.some((e) => rewritten.has(e))) kept.add(now);
  };
  content.locales.forEach((locale, i) => {
    const before = base.locales[i];
    if (before?.locale !== locale.locale) return;
    keep(locale.singlePages, before.singlePages);
    for (const name of Object.keys(locale.pageTypes)) {
      keep(locale.pageTypes[name], before.pageTypes[name]);
    }
    for (const key of Object.keys(locale.collections)) {
      keep(locale.collections[key], before.collections[key]);
    }
  });
  for (const kind of ['posts', 'authors', 'categories', 'tags'] as const) {
    keep(content.blog[kind], base.blog[kind]);
  }
  return kept;
}

/**
 * The page types and collections the configured ones (and the single pages) reach through
 * references, in any locale: what a full sync crawls.
 */
function reachable(locales: LocaleContent<EntityList>[], plan: CrawlPlan) {
  const reached = {
    pageType: new Set(plan.pageTypes),
    collection: new Set(plan.collections),
  };
  const seen = new Set<string>();
  const queue: ['page' | 'item', EntityList][] = locales.map((l) => ['page', l.singlePages]);
  const enqueue = (kind: 'pageType' | 'collection', name: string) => {
    for (const l of locales) {
      const listed = kind === 'pageType' ? l.pageTypes[name] : l.collections[name];
      if (listed) queue.push([kind === 'pageType' ? 'page' : 'item', listed]);
    }
  };
  for (const name of plan.pageTypes) enqueue('pageType', name);
  for (const name of plan.collections) enqueue('collection', name);
  for (let next = queue.pop(); next; next = queue.pop()) {
    const refs = referencedBy(next[0], next[1], emptyReferenced(seen));
    for (const name of refs.pageTypes) {
      if (!reached.pageType.has(name)) {
        reached.pageType.add(name);
        enqueue('pageType', name);
      }
    }
    for (const name of refs.collections) {
      if (!reached.collection.has(name)) {
        reached.collection.add(name);
        enqueue('collection', name);
      }
    }
  }
  return reached;
}
