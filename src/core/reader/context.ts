/**
 * What every reader method shares: the lazily opened snapshot, the learned profile, locale and
 * levels checks, reading the entities an answer references (depth by depth, before rendering),
 * the SDK-shaped response and rejection.
 */
import type { ButterErrorCode } from '../errors.ts';
import type { EntityRef, JsonObject } from '../model/content.ts';
import {
  type ContentPaths,
  contentPathsByListing,
  listingKey,
  NO_CONTENT_PATHS,
} from '../model/media-paths.ts';
import {
  type EmbeddedProfile,
  type ListProfile,
  learnEmbedded,
  learnLists,
  learnNotMedia,
  learnPosts,
  mediaProbeRefs,
  type PostProfile,
} from '../model/profile.ts';
import { forEachRefUri, parseRef } from '../model/refs.ts';
import type { Cell } from '../snapshot/store.ts';
import { badRequest, HttpLikeError, levelsTooDeep, ReaderError } from './errors.ts';
import { refsOf } from './expand.ts';
import { normalizeParams, param } from './query.ts';
import { type Rendering, renderEntity } from './render.ts';
import type { LocalResponse, Params } from './schema.ts';
import {
  type Link,
  type Listing,
  type LocaleListings,
  readEntities,
  type Source,
} from './source.ts';

/** `levels` the API serves when the parameter is absent (docs: "Defaults to 2"). */
export const DEFAULT_LEVELS = 2;

export interface Request {
  /** SDK resource type, as in its errors: `page`, `content`, `post`, `author`, … */
  type: string;
  /** API path after `/v2`, e.g. `/pages/landing-page/home/`. */
  path: string;
  params: Record<string, string>;
}

export interface Context {
  source: Source;
  embedded(): Promise<EmbeddedProfile>;
  posts(): Promise<PostProfile>;
  lists(): Promise<ListProfile>;
  /** Where `{url, alt}`-shaped objects are content, by `listingKey`. */
  notMedia(): Promise<Map<string, ContentPaths>>;
}

/** Entities looked up by reference and locale, for what learns from them synchronously. */
async function lookupTable(source: Source, wanted: { ref: EntityRef; locale: string | null }[]) {
  const key = (ref: EntityRef, locale: string | null) => JSON.stringify([ref, locale]);
  const table = new Map<string, JsonObject>();
  for (const { ref, locale } of wanted) {
    const entity = await source.entity(ref, locale);
    if (entity) table.set(key(ref, locale), entity);
  }
  return (ref: EntityRef, locale: string | null) => table.get(key(ref, locale));
}

export function createContext(source: Source): Context {
  let embedded: Promise<EmbeddedProfile> | undefined;
  let posts: Promise<PostProfile> | undefined;
  let lists: Promise<ListProfile> | undefined;
  let notMedia: Promise<Map<string, ContentPaths>> | undefined;
  return {
    source,
    embedded() {
      embedded ??= (async () => {
        const stored = await source.profile();
        if (stored) return stored;
        const probes = await source.probes();
        // The probed entities and everything they reference, so learning can compare.
        const wanted: { ref: EntityRef; locale: string | null }[] = [];
        for (const probe of probes.embedded) {
          wanted.push({ ref: probe.entity, locale: probe.locale });
          const entity = await source.entity(probe.entity, probe.locale);
          for (const uri of entity ? refsOf(entity, probe.entity.kind) : []) {
            const ref = parseRef(uri);
            if (ref) wanted.push({ ref, locale: probe.locale });
          }
        }
        return learnEmbedded(probes, await lookupTable(source, wanted));
      })();
      return embedded;
    },
    posts() {
      posts ??= (async () => {
        const stored = await source.profile();
        if (stored) return stored;
        const listing = (await source.blog()).of('posts');
        const all = await listing.readAt(listing.ids.map((_, i) => i));
        return learnPosts(await source.probes(), all);
      })();
      return posts;
    },
    lists() {
      lists ??= (async () => (await source.profile()) ?? learnLists(await source.probes()))();
      return lists;
    },
    notMedia() {
      notMedia ??= (async () => {
        let learned = (await source.profile())?.notMedia;
        if (!learned) {
          const probes = await source.probes();
          const lookup = await lookupTable(source, mediaProbeRefs(probes));
          learned = learnNotMedia(probes, lookup).notMedia;
        }
        return contentPathsByListing(learned);
      })();
      return notMedia;
    },
  };
}

/** The locale a request reads: `locale=` if synced, else the first synced locale. */
export async function resolveLocale(ctx: Context, params: Record<string, string>) {
  const { locales } = await ctx.source.manifest();
  const asked = param(params, 'locale');
  if (asked === undefined || asked === '') return locales[0] ?? null;
  if (locales.includes(asked)) return asked;
  const synced = locales.filter((l): l is string => l !== null);
  throw badRequest(
    `Invalid locale: ${asked}`,
    synced.length > 0
      ? `The snapshot holds the locales ${synced.join(', ')}; add ${asked} to \`locales\` and sync again.`
      : `The snapshot was synced without locales; add ${asked} to \`locales\` and sync again.`,
  );
}

/** `levels=` checked against the API's range and the synced depth. */
export async function resolveLevels(ctx: Context, params: Record<string, string>) {
  const text = param(params, 'levels');
  const levels = text === undefined || text === '' ? DEFAULT_LEVELS : Number(text);
  if (!Number.isInteger(levels) || levels < 1 || levels > 5) {
    throw badRequest('levels must be 1-5');
  }
  const synced = (await ctx.source.manifest()).levels;
  if (levels > synced) throw levelsTooDeep(levels, synced);
  return levels;
}

/** A stored entity of a listing, with its cell when it came from the store's cache. */
export interface Stored {
  listing: Listing;
  value: JsonObject;
  cell?: Cell;
}

/** The references of a stored entity (kept with its cell while the cache keeps the entity). */
function linksOf(entity: Stored, listings: LocaleListings): Link[] {
  const { cell, value } = entity;
  if (cell && cell.value === value && cell.derived) return cell.derived as Link[];
  const links: Link[] = [];
  const visit = (uri: string) => {
    const link = listings.link(uri);
    if (link) links.push(link);
  };
  // Where references can be: a page's fields, an item but its `meta`.
  if (entity.listing.kind === 'page') forEachRefUri(value.fields ?? null, visit);
  else for (const key of Object.keys(value)) if (key !== 'meta') forEachRefUri(value[key]!, visit);
  if (cell && cell.value === value) cell.derived = links;
  return links;
}

/** The entities a reference URI names, by URI. */
export type Referenced = Map<string, Stored>;

/**
 * The entities `roots` (pages or items of one locale) reference, `hops` references deep, by
 * URI: read once per call, depth by depth, and held by the call, so that rendering and
 * filtering look them up without I/O.
 */
export async function loadReferenced(
  ctx: Context,
  roots: readonly Stored[],
  locale: string | null,
  hops: number,
): Promise<Referenced> {
  const found: Referenced = new Map();
  if (hops <= 0) return found;
  const listings = await ctx.source.locale(locale);
  const store = await ctx.source.store();
  // Entities already expanded (deeper than one hop only): each is walked for references once.
  const seen =
    hops > 1 ? new Set<Cell | JsonObject>(roots.map((r) => r.cell ?? r.value)) : undefined;
  let frontier = roots;
  for (let depth = 0; depth < hops && frontier.length > 0; depth++) {
    const wanted: Link[] = [];
    const asked = new Set<string>();
    for (const entity of frontier) {
      for (const link of linksOf(entity, listings)) {
        if (found.has(link.uri) || asked.has(link.uri)) continue;
        asked.add(link.uri);
        wanted.push(link);
      }
    }
    const values = await readEntities(
      store,
      wanted.map((link) => link.cell),
    );
    const next: Stored[] = [];
    const last = depth + 1 === hops;
    wanted.forEach(({ uri, listing, cell }, i) => {
      const entity: Stored = { listing, cell, value: values[i]! };
      found.set(uri, entity);
      if (!last && !seen!.has(cell)) {
        seen!.add(cell);
        next.push(entity);
      }
    });
    frontier = next;
  }
  return found;
}

/** Whether a request keeps media objects (`alt_media_text=1`). */
export const keepsMedia = (params: Record<string, string>) =>
  param(params, 'alt_media_text') === '1';

/**
 * `roots` as served: references expanded to `levels` (the entities they name read first, depth
 * by depth) and media as `alt_media_text` asks, each answer a fresh copy.
 */
export async function render(
  ctx: Context,
  roots: readonly Stored[],
  locale: string | null,
  levels: number,
  params: Record<string, string>,
): Promise<JsonObject[]> {
  const referenced = await loadReferenced(ctx, roots, locale, levels - 1);
  const profile = levels > 1 ? await ctx.embedded() : { pageKeys: [], itemDrop: [] };
  const urls = !keepsMedia(params);
  const notMedia = urls ? await ctx.notMedia() : undefined;
  const mediaOf = (listing: Listing): ContentPaths => {
    if (!notMedia || !listing.ref) return NO_CONTENT_PATHS;
    listing.media ??= notMedia.get(listingKey(listing.ref)) ?? NO_CONTENT_PATHS;
    return listing.media;
  };
  const target = ({ listing, value }: Stored) => ({
    value,
    kind: listing.kind === 'page' ? ('page' as const) : ('item' as const),
    media: mediaOf(listing),
  });
  const rendering: Rendering = {
    levels,
    urls,
    profile,
    resolve(uri) {
      const found = referenced.get(uri);
      return found && target(found);
    },
  };
  return roots.map((root) => renderEntity(target(root), rendering));
}

function requestUrl(source: string, request: Request): string {
  const query = new URLSearchParams(Object.entries(request.params)).toString();
  return `${source}${request.path}${query ? `?${query}` : ''}`;
}

const CODES: Record<number, ButterErrorCode> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

/**
 * Runs one reader call: resolves to the SDK's response shape, rejects like the SDK (an Error
 * whose `cause` carries `status` and the API-like `data`).
 */
export async function respond<Body>(
  ctx: Context,
  type: string,
  path: string,
  rawParams: Params | undefined,
  run: (params: Record<string, string>) => Promise<Body>,
): Promise<LocalResponse<Body>> {
  const params = normalizeParams(rawParams);
  const request: Request = { type, path, params };
  let body: Body;
  try {
    body = await run(params);
  } catch (error) {
    if (!(error instanceof HttpLikeError)) throw error;
    const manifest = await ctx.source.manifest().catch(() => undefined);
    throw new ReaderError(
      CODES[error.status] ?? 'BAD_REQUEST',
      error.status,
      error.detail,
      { type, params, url: requestUrl(manifest?.source ?? '', request) },
      error.hint,
    );
  }
  const manifest = await ctx.source.manifest();
  return {
    data: body,
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json' },
    config: {
      url: requestUrl(manifest.source, request),
      method: 'get',
      headers: {},
      transformRequest: [],
      transformResponse: [],
      timeout: 0,
    },
  };
}
