/**
 * Probes after a partial crawl: each probe goes to the entity a full sync would choose for the
 * merged content (`fullSyncProbes`); the earlier answer is kept when it is for that same entity
 * and nothing it shows was refreshed, otherwise it is fetched again (the same request a full
 * sync makes).
 */
import { apiPath } from '../model/api-paths.ts';
import type {
  EntityList,
  EntityRef,
  ListingRef,
  LocaleContent,
  ProfileProbes,
} from '../model/content.ts';
import { filterEntities, firstEntities } from '../model/entity-list.ts';
import { listingEntities } from '../model/listing.ts';
import { listingKey } from '../model/media-paths.ts';
import type { QueryParams, SyncApi } from './api.ts';
import { referencedBy } from './discovery.ts';
import {
  fetchMediaProbe,
  fullSyncProbes,
  mediaProbeSize,
  probeGetter,
  sortMediaProbes,
} from './probes.ts';

export interface ProbeRefresh {
  api: SyncApi;
  first: LocaleContent<EntityList> | undefined;
  posts: EntityList;
  levels: number;
  /** The page size the listings were fetched with (a media probe's size depends on it). */
  pageSize: number;
  preview: boolean;
  /** The configured page types (the full sync's probe choice depends on their order). */
  configuredPageTypes: readonly string[];
  signal?: AbortSignal;
  warn(message: string): void;
  refreshed: {
    pageTypes: Set<string>;
    collections: Set<string>;
    singlePages: boolean;
    blog: boolean;
  };
}

type Embedded = ProfileProbes['embedded'][number];

export async function refreshProbes(old: ProfileProbes, env: ProbeRefresh): Promise<ProfileProbes> {
  const { first, refreshed } = env;
  const flags: QueryParams = env.preview ? { preview: 1 } : {};
  const localeParam: QueryParams = first?.locale ? { locale: first.locale } : {};
  const get = probeGetter(env);
  const pagesOf = (type: string): EntityList =>
    type === '*' ? (first?.singlePages ?? []) : (first?.pageTypes[type] ?? []);
  const typeRefreshed = (type: string) =>
    type === '*' ? refreshed.singlePages : refreshed.pageTypes.has(type);
  const plan = fullSyncProbes(first, env.posts, env.levels, env.configuredPageTypes, env.pageSize);

  const postDetail = async (): Promise<ProfileProbes['postDetail']> => {
    const kept = old.postDetail;
    const slug = plan.postSlug;
    if (slug === undefined) return undefined;
    if (kept?.slug === slug && !refreshed.blog) return kept;
    const body = await get(apiPath.post(slug), flags);
    return body ? { slug, body } : undefined;
  };
  const pageListDefault = async (): Promise<ProfileProbes['pageListDefault']> => {
    const kept = old.pageListDefault;
    const type = plan.listing;
    if (type === undefined) return undefined;
    if (kept?.pageType === type && !typeRefreshed(type)) return kept;
    const params = { levels: 1, alt_media_text: 1, ...localeParam, ...flags };
    const body = await get(apiPath.pages(type), params);
    return body ? { pageType: type, body } : undefined;
  };
  const embeddedOne = async (probe: Embedded): Promise<Embedded | undefined> => {
    const params = { levels: 2, alt_media_text: 1, ...localeParam, ...flags };
    const { entity } = probe;
    const body = await get(apiPath.entity(entity), params);
    return body ? { ...probe, body } : undefined;
  };
  const embedded = async (): Promise<ProfileProbes['embedded']> => {
    if (env.levels < 2) return [];
    // The answer embeds what the entity references: stale when either was refreshed.
    const stale = (p: Embedded) => {
      const { entity } = p;
      const own =
        entity.kind === 'page'
          ? filterEntities(pagesOf(entity.pageType), (e) => e.slug === entity.slug)
          : filterEntities(
              first?.collections[entity.key] ?? [],
              (i) => (i.meta as { id?: unknown } | undefined)?.id === entity.id,
            );
      const refs = referencedBy(entity.kind, own);
      return (
        (entity.kind === 'page'
          ? typeRefreshed(entity.pageType)
          : refreshed.collections.has(entity.key)) ||
        [...refs.pageTypes].some((t) => refreshed.pageTypes.has(t)) ||
        [...refs.collections].some((k) => refreshed.collections.has(k))
      );
    };
    const same = (a: EntityRef, b: EntityRef) => JSON.stringify(a) === JSON.stringify(b);
    const answers = await Promise.all(
      plan.embedded.map((target) => {
        const kept = old.embedded.find(
          (p) => same(p.entity, target.entity) && p.locale === target.locale,
        );
        return kept && !stale(kept)
          ? Promise.resolve(kept)
          : embeddedOne({ entity: target.entity, locale: target.locale, body: {} });
      }),
    );
    return answers.filter((a): a is Embedded => a !== undefined);
  };

  // A media probe per listing of the first locale whose first entities hold media-shaped
  // objects, as a full sync makes them.
  const media = async (): Promise<NonNullable<ProfileProbes['media']>> => {
    const kept = new Map((old.media ?? []).map((probe) => [listingKey(probe.listing), probe]));
    const listings: ListingRef[] = [
      { kind: 'page', pageType: '*' },
      ...Object.keys(first?.pageTypes ?? {}).map((pageType) => ({
        kind: 'page' as const,
        pageType,
      })),
      ...Object.keys(first?.collections ?? {}).map((key) => ({ kind: 'item' as const, key })),
    ];
    const entities = (l: ListingRef): EntityList =>
      l.kind === 'page' ? pagesOf(l.pageType) : (first?.collections[l.key] ?? []);
    const again = (l: ListingRef) =>
      l.kind === 'page' ? typeRefreshed(l.pageType) : refreshed.collections.has(l.key);
    const answers = await Promise.all(
      listings.map((l) => {
        const size = mediaProbeSize(firstEntities(entities(l), env.pageSize));
        const probe = kept.get(listingKey(l));
        if (size === 0) return undefined;
        // A kept probe must ask for as many entities as a full sync would (the page size may differ).
        const same = probe && !again(l) && listingEntities(probe.body, l).length === size;
        return same ? probe : fetchMediaProbe(get, l, size, first?.locale ?? null, env.preview);
      }),
    );
    return sortMediaProbes(answers.filter((a) => a !== undefined));
  };

  const [post, listing, embeddedProbes, mediaProbes] = await Promise.all([
    postDetail(),
    pageListDefault(),
    embedded(),
    media(),
  ]);
  // The key order of a full sync's probes.json.
  const probes: ProfileProbes = { embedded: embeddedProbes };
  if (post) probes.postDetail = post;
  if (listing) probes.pageListDefault = listing;
  probes.media = mediaProbes;
  if (old.recentPosts) probes.recentPosts = old.recentPosts;
  return probes;
}
