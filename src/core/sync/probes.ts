/**
 * Probe requests: the few answers the reader needs to rebuild shapes the docs leave open
 * (see `ProfileProbes`). Chosen from the crawled content, fetched alongside the crawl: at most
 * four, plus one small media probe per page listing and collection.
 */
import { apiPath } from '../model/api-paths.ts';
import type {
  EntityList,
  EntityRef,
  Json,
  JsonObject,
  ListingRef,
  LocaleContent,
  ProfileProbes,
} from '../model/content.ts';
import { contentRecord, isObject } from '../model/json.ts';
import { listingKey, mediaShapedPaths } from '../model/media-paths.ts';
import { collectRefs } from '../model/refs.ts';
import { wellFormed } from '../model/unicode.ts';
import type { QueryParams, SyncApi } from './api.ts';

type MediaProbe = NonNullable<ProfileProbes['media']>[number];

/** A GET for a probe: a 404 skips the probe with a warning (`undefined`); other errors throw. */
export function probeGetter(ctx: {
  api: SyncApi;
  signal?: AbortSignal | undefined;
  warn(message: string): void;
}) {
  return async (path: string, params: QueryParams): Promise<JsonObject | undefined> => {
    try {
      return await ctx.api.get(path, params, ctx.signal ? { signal: ctx.signal } : {});
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'NOT_FOUND') throw error;
      ctx.warn(`probe ${path} answered 404; skipped`);
      return undefined;
    }
  };
}

/**
 * The media probe of `listing` (see `ProfileProbes.media`): its first `size` entities, media as
 * URLs.
 */
export async function fetchMediaProbe(
  get: ReturnType<typeof probeGetter>,
  listing: ListingRef,
  size: number,
  locale: string | null,
  preview: boolean,
): Promise<MediaProbe | undefined> {
  const params: QueryParams = { levels: 1, page: 1, page_size: size };
  if (locale !== null) params.locale = locale;
  if (preview) params.preview = 1;
  const body = await get(apiPath.listing(listing), params);
  return body ? { listing, locale, body } : undefined;
}

/**
 * How many entities a listing's media probe asks for, given the listing's first page (as
 * stored): the fewest first ones that hold every path of a `{url, alt}`-shaped object the page
 * holds, so the probe meets each of them once; 0 (no probe) when there is none.
 */
export function mediaProbeSize(firstPage: readonly JsonObject[]): number {
  const paths = new Set<string>();
  let size = 0;
  firstPage.forEach((entity, i) => {
    const known = paths.size;
    mediaShapedPaths(entity, paths);
    if (paths.size > known) size = i + 1;
  });
  return size;
}

/** Media probes in a fixed order, whatever order they were answered in. */
export function sortMediaProbes(probes: Iterable<MediaProbe>): MediaProbe[] {
  const byKey = new Map([...probes].map((probe) => [listingKey(probe.listing), probe]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

export interface ProbeContext {
  api: SyncApi;
  /** Resolves when every task of the crawl (probes included) has settled. */
  idle(): Promise<void>;
  levels: number;
  preview: boolean;
  signal: AbortSignal;
  warn(message: string): void;
}

interface EmbeddedTarget {
  entity: EntityRef;
  locale: string | null;
  path: string;
}

/** The probes to make for this content (pure). */
export function planProbes(
  locale: LocaleContent<EntityList> | undefined,
  posts: EntityList,
  levels: number,
) {
  const postSlug = pickPost(posts);
  const embedded = levels >= 2 && locale ? pickEmbedded(locale).targets : [];
  const listing = locale ? pickListing(locale) : undefined;
  return { postSlug, embedded, listing };
}

/**
 * The probes a full sync (`createProber`) settles on for this content, whatever order its
 * answers arrive in (pure): the page list of the first configured page type that fills a page,
 * else of the largest configured one, else `planProbes`'s; the embedded targets among the
 * single pages and configured page types, else `planProbes`'s. A sync that keeps probes from an
 * earlier snapshot keeps only those a full sync would choose again.
 */
export function fullSyncProbes(
  locale: LocaleContent<EntityList> | undefined,
  posts: EntityList,
  levels: number,
  configuredPageTypes: readonly string[],
  pageSize: number,
) {
  const plan = planProbes(locale, posts, levels);
  if (!locale) return plan;
  const configured = configuredPageTypes.filter((name) => Object.hasOwn(locale.pageTypes, name));
  const count = (name: string) => locale.pageTypes[name]?.length ?? 0;
  let listing = configured.find((name) => count(name) >= pageSize);
  if (listing === undefined) {
    let largest = 0;
    for (const name of configured) {
      if (count(name) > largest) [listing, largest] = [name, count(name)];
    }
  }
  const known: LocaleContent<EntityList> = { ...locale, pageTypes: contentRecord() };
  for (const name of configured) known.pageTypes[name] = locale.pageTypes[name]!;
  const early = levels >= 2 ? pickEmbedded(known, false).targets : [];
  return {
    postSlug: plan.postSlug,
    listing: listing ?? plan.listing,
    embedded: early.length > 0 ? early : plan.embedded,
  };
}

function pickPost(posts: EntityList): string | undefined {
  const post = posts.at(posts.length >= 3 ? 1 : 0);
  return requestable(post?.slug) ? post.slug : undefined;
}

/** A slug a request URL can name: a string without lone surrogates (URLs are UTF-8). */
function requestable(slug: Json | undefined): slug is string {
  return typeof slug === 'string' && wellFormed(slug) === slug;
}

/**
 * A page that references a page and one that references an item (the same one if it can);
 * failing that (and `withItems`), an item holding references. `settled`: whether more pages
 * after `locale`'s could change the answer (only a page referring to both settles it early).
 */
function pickEmbedded(
  locale: LocaleContent<EntityList>,
  withItems = true,
): { targets: EmbeddedTarget[]; settled: boolean } {
  function* candidates(): Generator<{ pageType: string; page: JsonObject }> {
    for (const page of locale.singlePages) yield { pageType: '*', page };
    for (const [pageType, pages] of Object.entries(locale.pageTypes)) {
      for (const page of pages) yield { pageType, page };
    }
  }
  let both: EmbeddedTarget | undefined;
  let toPage: EmbeddedTarget | undefined;
  let toItem: EmbeddedTarget | undefined;
  for (const { pageType, page } of candidates()) {
    if (!requestable(page.slug)) continue;
    const refs = collectRefs(page.fields ?? null);
    if (refs.length === 0) continue;
    const target: EmbeddedTarget = {
      entity: { kind: 'page', pageType, slug: page.slug },
      locale: locale.locale,
      path: apiPath.page(pageType, page.slug),
    };
    const pages = refs.some((r) => r.ref.kind === 'page');
    const items = refs.some((r) => r.ref.kind === 'item');
    if (pages && items) {
      both = target;
      break;
    }
    if (pages) toPage ??= target;
    if (items) toItem ??= target;
  }
  if (both) return { targets: [both], settled: true };
  const targets = [toPage, toItem].filter((t): t is EmbeddedTarget => t !== undefined);
  if (targets.length > 0 || !withItems) return { targets, settled: false };
  // No page holds references: an item that does, through its reference URI.
  for (const [key, items] of Object.entries(locale.collections)) {
    for (const item of items) {
      const { meta, ...values } = item;
      const id = isObject(meta) ? meta.id : null;
      if (typeof id !== 'number' || collectRefs(values).length === 0) continue;
      const target: EmbeddedTarget = {
        entity: { kind: 'item', key, id },
        locale: locale.locale,
        path: apiPath.item(key, id),
      };
      return { targets: [target], settled: false };
    }
  }
  return { targets: [], settled: false };
}

/** The largest page type (single pages when there is none): its first page, unpaginated. */
function pickListing(locale: LocaleContent<EntityList>): string | undefined {
  let best: string | undefined;
  let size = -1;
  for (const [pageType, pages] of Object.entries(locale.pageTypes)) {
    if (pages.length > size) {
      best = pageType;
      size = pages.length;
    }
  }
  if (best === undefined && locale.singlePages.length > 0) best = '*';
  return best;
}

export interface Prober {
  /** The first page of the post list (newest first). */
  postsFirstPage(items: readonly JsonObject[]): void;
  /** A page or collection listing of the first locale needs a media probe of `size` entities. */
  mediaProbe(listing: ListingRef, size: number): void;
  /** The first page of a configured page type's listing in the first locale. */
  pageTypeFirstPage(pageType: string, count: number): void;
  /**
   * The pages known so far of the single pages and the configured page types of the first
   * locale, in that order, up to the first incomplete listing (`complete`: all of them, whole).
   */
  embeddedCandidates(locale: LocaleContent<EntityList>, complete: boolean): void;
  /** Makes the probes not made yet (from the whole content) and returns every answer. */
  finish(locale: LocaleContent<EntityList> | undefined, posts: EntityList): Promise<ProfileProbes>;
}

/**
 * Starts each probe as soon as its choice is settled, so the probes overlap with the tail of
 * the crawl instead of adding a round trip after it. Every choice is deterministic (the same
 * account gives the same probes.json, whatever order the answers arrive in):
 *
 * - post detail: the second post (the first has no newer neighbour), known from the first page;
 * - page list without pagination: the first configured page type, in configured order, whose
 *   count reaches `pageSize` (it shows the default page size whatever it is), else the largest
 *   configured one once all have answered;
 * - embedded: chosen among single pages and configured page types once no later page can
 *   change the choice (see `pickEmbedded`), often from their first pages.
 *
 * Whatever is not settled early is chosen from the whole content at the end (`planProbes`).
 * A probe answered 404 is skipped with a warning; any other failure fails the sync.
 */
export function createProber(
  ctx: ProbeContext & { run(task: () => Promise<void>): void; pageSize: number },
  locale: string | null,
  configuredPageTypes: readonly string[],
): Prober {
  const flags: QueryParams = ctx.preview ? { preview: 1 } : {};
  const localeParam: QueryParams = locale === null ? {} : { locale };
  let postDetail: ProfileProbes['postDetail'];
  let pageListDefault: ProfileProbes['pageListDefault'];
  let embedded: ProfileProbes['embedded'] = [];
  const started = { post: false, listing: false, embedded: false };
  const counts = new Map<string, number>();
  const media = new Map<string, MediaProbe | undefined>();

  const get = probeGetter(ctx);
  const startPost = (slug: string) => {
    started.post = true;
    ctx.run(async () => {
      const body = await get(apiPath.post(slug), flags);
      if (body) postDetail = { slug, body };
    });
  };
  const startListing = (pageType: string) => {
    started.listing = true;
    const params = { levels: 1, alt_media_text: 1, ...localeParam, ...flags };
    ctx.run(async () => {
      const body = await get(apiPath.pages(pageType), params);
      if (body) pageListDefault = { pageType, body };
    });
  };
  const startEmbedded = (targets: EmbeddedTarget[]) => {
    started.embedded = true;
    const answers: (ProfileProbes['embedded'][number] | undefined)[] = [];
    const params = { levels: 2, alt_media_text: 1, ...localeParam, ...flags };
    targets.forEach((target, i) => {
      ctx.run(async () => {
        const body = await get(target.path, params);
        if (body) answers[i] = { entity: target.entity, locale: target.locale, body };
        embedded = answers.filter((a) => a !== undefined);
      });
    });
  };

  return {
    mediaProbe(listing, size) {
      const key = listingKey(listing);
      if (media.has(key)) return;
      media.set(key, undefined);
      ctx.run(async () => {
        media.set(key, await fetchMediaProbe(get, listing, size, locale, ctx.preview));
      });
    },
    postsFirstPage(items) {
      if (started.post || items.length < 3) return;
      const slug = pickPost(items);
      if (slug !== undefined) startPost(slug);
    },
    pageTypeFirstPage(pageType, count) {
      if (started.listing) return;
      counts.set(pageType, count);
      let largest: string | undefined;
      for (const name of configuredPageTypes) {
        const known = counts.get(name);
        if (known === undefined) return;
        if (known >= ctx.pageSize) {
          startListing(name);
          return;
        }
        if (known > (counts.get(largest ?? '') ?? 0)) largest = name;
      }
      // Every configured page type is known and none fills a page: the largest of them.
      if (largest !== undefined) startListing(largest);
    },
    embeddedCandidates(content, complete) {
      if (started.embedded || ctx.levels < 2) return;
      const { targets, settled } = pickEmbedded(content, false);
      if (targets.length > 0 && (settled || complete)) startEmbedded(targets);
    },
    async finish(content, posts) {
      const plan = planProbes(content, posts, ctx.levels);
      if (!started.post && plan.postSlug !== undefined) startPost(plan.postSlug);
      if (!started.listing && plan.listing !== undefined) startListing(plan.listing);
      if (!started.embedded && plan.embedded.length > 0) startEmbedded(plan.embedded);
      await ctx.idle();
      // Built in a fixed key order, whatever order the answers came in.
      const probes: ProfileProbes = { embedded };
      if (postDetail) probes.postDetail = postDetail;
      if (pageListDefault) probes.pageListDefault = pageListDefault;
      probes.media = sortMediaProbes([...media.values()].filter((p) => p !== undefined));
      return probes;
    },
  };
}
