/**
 * One fetcher per kind of listing. Pages and collection items are fetched at `levels=1` with
 * `alt_media_text=1` (references as URIs, media as `{url, alt}`); every paginated listing goes
 * through the client's `listAll` (largest page size, remaining pages in parallel).
 */
import { BadResponseError, ListingShapeProblem, pagesAllowed } from '../client/index.ts';
import { apiPath } from '../model/api-paths.ts';
import type { Json, JsonObject, ListingRef } from '../model/content.ts';
import { contentRecord, isObject } from '../model/json.ts';
import { followPages, metaCount } from '../model/listing.ts';
import type { Spool, SpooledList } from '../snapshot/spool.ts';
import { type QueryParams, type SyncApi, storedEntities } from './api.ts';
import type { Progress } from './progress.ts';
import type { ContentKind } from './types.ts';

export interface ListingContext {
  api: SyncApi;
  pageSize: number;
  preview: boolean;
  progress: Progress;
  signal: AbortSignal;
  /** Where each page's entities go as it arrives. */
  spool: Spool;
}

/** Told about the first page of a listing as it arrives (the probes start early from it). */
export type OnFirstPage = (body: JsonObject, items: JsonObject[]) => void;

/** Query parameters of every page and collection listing of one locale. */
export function contentParams(ctx: ListingContext, locale: string | null): QueryParams {
  const params: QueryParams = { levels: 1, alt_media_text: 1 };
  if (locale !== null) params.locale = locale;
  if (ctx.preview) params.preview = 1;
  return params;
}

/**
 * Every item of one paginated listing through the client's `listAll`, reporting each page to
 * the progress of `kind` (the first to `onFirstPage`) and spooling it as it arrives.
 */
async function listItems(
  ctx: ListingContext,
  kind: ContentKind,
  path: string,
  params: QueryParams,
  pick: (body: JsonObject) => JsonObject[],
  onFirstPage?: OnFirstPage,
): Promise<SpooledList> {
  const onBody = ctx.progress.listing(kind);
  let first = true;
  const result = await ctx.api.listAll(path, params, {
    pageSize: ctx.pageSize,
    signal: ctx.signal,
    extract(body) {
      const items = pick(body);
      onBody(body, items);
      if (first) onFirstPage?.(body, items);
      first = false;
      return ctx.spool.put(items);
    },
  });
  return ctx.spool.list(result.items);
}

/** A listing of pages or collection items of one locale. */
function fetchContent(
  ctx: ListingContext,
  kind: ContentKind,
  listing: ListingRef,
  locale: string | null,
  onFirstPage?: OnFirstPage,
) {
  const pick = (body: JsonObject) => storedEntities(body, listing);
  const params = contentParams(ctx, locale);
  return listItems(ctx, kind, apiPath.listing(listing), params, pick, onFirstPage);
}

/** Single pages (`/pages/*\/`). */
export function fetchSinglePages(
  ctx: ListingContext,
  locale: string | null,
  onFirstPage?: OnFirstPage,
) {
  return fetchContent(ctx, 'singlePages', { kind: 'page', pageType: '*' }, locale, onFirstPage);
}

/** Pages of one page type (`/pages/<type>/`). */
export function fetchPageType(
  ctx: ListingContext,
  pageType: string,
  locale: string | null,
  onFirstPage?: OnFirstPage,
) {
  return fetchContent(ctx, 'pages', { kind: 'page', pageType }, locale, onFirstPage);
}

/** Items of one collection (`/content/<key>/`: the path form, which carries `meta`). */
export function fetchCollection(
  ctx: ListingContext,
  key: string,
  locale: string | null,
  onFirstPage?: OnFirstPage,
) {
  return fetchContent(ctx, 'items', { kind: 'item', key }, locale, onFirstPage);
}

/** Every post, in list shape (`/posts/`), newest first as served. */
export function fetchPosts(ctx: ListingContext, onFirstPage?: OnFirstPage) {
  const params: QueryParams = ctx.preview ? { preview: 1 } : {};
  const pick = (body: JsonObject) => storedEntities(body, { kind: 'post' });
  return listItems(ctx, 'posts', apiPath.posts(), params, pick, onFirstPage);
}

export type Taxonomy = 'authors' | 'categories' | 'tags';

/**
 * Authors, categories or tags with `include=recent_posts` (one request: these lists are not
 * paginated; a `meta.next_page` is followed all the same, no further than the first answer's
 * count allows). Returns the entities without `recent_posts`, their recent posts as slugs, and
 * the answer cut down to the first entity that has recent posts (the reader learns the shape of
 * a `recent_posts` entry from it).
 */
export async function fetchTaxonomy(ctx: ListingContext, kind: Taxonomy) {
  const onBody = ctx.progress.listing(kind);
  const params: QueryParams = { include: 'recent_posts' };
  if (ctx.preview) params.preview = 1;
  const entities: JsonObject[] = [];
  const recent = contentRecord<string[]>();
  /** The answer cut down to the first entity with recent posts: a free `recentPosts` probe. */
  let sample: { slug: string; body: JsonObject } | undefined;
  const get = (page?: number) =>
    ctx.api.get(apiPath.taxonomy(kind), page === undefined ? params : { ...params, page }, {
      signal: ctx.signal,
    });
  let page: number | undefined;
  let pages = 0;
  let allowed = 1;
  await followPages(await get(), get, (body) => {
    pages++;
    const items = taxonomyItems(body, kind);
    if (pages === 1) allowed = pagesAllowed(metaCount(body), items.length);
    onBody(body, items);
    for (const item of items) {
      const { recent_posts, ...rest } = item;
      if (!sample && typeof rest.slug === 'string' && Array.isArray(recent_posts)) {
        if (recent_posts.length > 0) sample = { slug: rest.slug, body: { ...body, data: [item] } };
      }
      entities.push(rest);
      if (typeof rest.slug === 'string') recent[rest.slug] = postSlugs(recent_posts);
    }
    const next = isObject(body.meta) ? body.meta.next_page : undefined;
    if (typeof next !== 'number' || items.length === 0 || next === page) return undefined;
    if (pages >= allowed) {
      throw new BadResponseError(
        `the ${kind} listing (${apiPath.taxonomy(kind)}) does not end: after ${pages} pages it still points to page ${next} next.`,
        {
          endpoint: `GET ${apiPath.taxonomy(kind)}`,
          status: 200,
          hint: 'Run the sync again; if it keeps failing, the server (or a proxy in between) paginates wrongly.',
        },
      );
    }
    page = next;
    return next;
  });
  return { entities, recent, sample };
}

/** The entities of a taxonomy answer; a listing of anything else is refused, naming it. */
function taxonomyItems(body: JsonObject, kind: Taxonomy): JsonObject[] {
  try {
    // A data list, as posts'.
    return storedEntities(body, { kind: 'post' });
  } catch (error) {
    if (!(error instanceof ListingShapeProblem)) throw error;
    throw new BadResponseError(
      `the ${kind} listing (${apiPath.taxonomy(kind)}) answered ${error.message}.`,
      {
        endpoint: `GET ${apiPath.taxonomy(kind)}`,
        status: 200,
        hint: 'This is not a ButterCMS Read API answer: check `apiUrl` and any proxy in between.',
      },
    );
  }
}

function postSlugs(value: Json | undefined): string[] {
  if (!Array.isArray(value)) return [];
  const slugs: string[] = [];
  for (const post of value) {
    if (typeof post === 'string') slugs.push(post);
    else if (isObject(post) && typeof post.slug === 'string') slugs.push(post.slug);
  }
  return slugs;
}
