/**
 * What every reader method shares: the lazily opened snapshot, the learned profile, locale and
 * levels checks, expansion with prefetching of referenced entities, the SDK-shaped response and
 * rejection.
 */
import type { ButterErrorCode } from '../errors.ts';
import type { EntityRef, Json, JsonObject, ListingRef } from '../snapshot/model.ts';
import { parseRef } from '../sync/refs.ts';
import { badRequest, HttpLikeError, levelsTooDeep, ReaderError } from './errors.ts';
import { expandEntity, refsOf } from './expand.ts';
import { type ContentPaths, contentPathsByListing, listingKey, mediaToUrls } from './media.ts';
import {
  type EmbeddedProfile,
  type ListProfile,
  learnEmbedded,
  learnLists,
  learnNotMedia,
  learnPosts,
  mediaProbeRefs,
  type PostProfile,
} from './profile.ts';
import { normalizeParams, param } from './query.ts';
import type { LocalResponse, Params } from './schema.ts';
import type { Source } from './source.ts';

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
  /**
   * An entity as served without `alt_media_text` (media as URLs), converted once per entity
   * object: kept as long as the stored object is (in the store's cache, or in a call).
   */
  withUrls(entity: JsonObject, listing: ListingRef): Promise<JsonObject>;
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
  // An entity object belongs to one listing: its converted form depends on nothing else.
  const converted = new WeakMap<JsonObject, JsonObject>();
  const context: Context = {
    source,
    async withUrls(entity, listing) {
      let out = converted.get(entity);
      if (!out) {
        const paths = (await context.notMedia()).get(listingKey(listing));
        out = mediaToUrls(entity, paths) as JsonObject;
        converted.set(entity, out);
      }
      return out;
    },
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
        const all = await source.blogEntities('posts', (await source.blogIndex()).posts);
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
  return context;
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

/** An entity a reference URI names, with its reference. */
export type Referenced = Map<string, { ref: EntityRef; entity: JsonObject }>;

/**
 * The entities `roots` reference, `hops` references deep, by URI: read once per call (depth by
 * depth) and held by the call, so that expanding and filtering look them up without I/O.
 */
export async function loadReferenced(
  ctx: Context,
  roots: { entity: JsonObject; kind: EntityRef['kind'] }[],
  locale: string | null,
  hops: number,
): Promise<Referenced> {
  const found: Referenced = new Map();
  const seen = new Set<JsonObject>(roots.map((r) => r.entity));
  let frontier = roots;
  for (let depth = 0; depth < hops && frontier.length > 0; depth++) {
    const uris = new Set(frontier.flatMap((r) => refsOf(r.entity, r.kind)));
    const next: typeof frontier = [];
    await Promise.all(
      [...uris].map(async (uri) => {
        if (found.has(uri)) return;
        const ref = parseRef(uri);
        const entity = ref ? await ctx.source.entity(ref, locale) : undefined;
        if (!ref || !entity) return;
        found.set(uri, { ref, entity });
        if (!seen.has(entity)) {
          seen.add(entity);
          next.push({ entity, kind: ref.kind });
        }
      }),
    );
    frontier = next;
  }
  return found;
}

/**
 * Expands `roots` to `levels` (reading referenced entities first, depth by depth) and applies
 * `alt_media_text`.
 */
export async function render(
  ctx: Context,
  roots: { entity: JsonObject; listing: ListingRef }[],
  locale: string | null,
  levels: number,
  params: Record<string, string>,
): Promise<JsonObject[]> {
  const referenced = await loadReferenced(
    ctx,
    roots.map(({ entity, listing }) => ({ entity, kind: listing.kind })),
    locale,
    levels - 1,
  );
  const profile = levels > 1 ? await ctx.embedded() : { pageKeys: [], itemDrop: [] };
  // Media become URLs in each entity before it is embedded, by its own listing's paths.
  const served = new Map<JsonObject, JsonObject>();
  if (!keepMedia(params)) {
    const convert = async (entity: JsonObject, listing: ListingRef) => {
      served.set(entity, await ctx.withUrls(entity, listing));
    };
    await Promise.all([
      ...roots.map(({ entity, listing }) => convert(entity, listing)),
      ...[...referenced.values()].map(({ entity, ref }) => convert(entity, ref)),
    ]);
  }
  const as = (entity: JsonObject) => served.get(entity) ?? entity;
  const resolve = (uri: string) => {
    const found = referenced.get(uri);
    return found && { ref: found.ref, entity: as(found.entity) };
  };
  return roots.map(({ entity, listing }) =>
    expandEntity(as(entity), listing.kind, levels, resolve, profile),
  );
}

const keepMedia = (params: Record<string, string>) => param(params, 'alt_media_text') === '1';

export function mediaFor(params: Record<string, string>, value: Json): Json {
  return keepMedia(params) ? value : mediaToUrls(value);
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
