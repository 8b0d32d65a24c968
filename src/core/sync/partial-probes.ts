/**
 * Probes after a partial crawl: a probe of an entity in the refreshed part is fetched again
 * (the same request a full sync made); one that is missing, or whose entity is gone, is chosen
 * again from the merged content (`planProbes`); every other probe is kept as it is.
 */
import { listingKey } from '../reader/media.ts';
import type { JsonObject, ListingRef, LocaleContent, ProfileProbes } from '../snapshot/model.ts';
import { urlSegment } from '../snapshot/names.ts';
import type { QueryParams, SyncApi } from './api.ts';
import { referencedBy } from './discovery.ts';
import { listingPath } from './listings.ts';
import {
  fetchMediaProbe,
  mediaProbeSize,
  planProbes,
  probeGetter,
  sortMediaProbes,
} from './probes.ts';

export interface ProbeRefresh {
  api: SyncApi;
  first: LocaleContent | undefined;
  posts: readonly JsonObject[];
  levels: number;
  /** The page size the listings were fetched with (a media probe's size depends on it). */
  pageSize: number;
  preview: boolean;
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
  const pagesOf = (type: string) =>
    type === '*' ? (first?.singlePages ?? []) : (first?.pageTypes[type] ?? []);
  const typeRefreshed = (type: string) =>
    type === '*' ? refreshed.singlePages : refreshed.pageTypes.has(type);
  const hasPage = (type: string, slug: string) => pagesOf(type).some((p) => p.slug === slug);
  const itemIds = (key: string) =>
    (first?.collections[key] ?? []).map((i) => (i.meta as { id?: unknown } | undefined)?.id);
  const plan = planProbes(first, env.posts, env.levels);

  const postDetail = async (): Promise<ProfileProbes['postDetail']> => {
    const kept = old.postDetail;
    const exists = kept && env.posts.some((p) => p.slug === kept.slug);
    if (kept && exists && !refreshed.blog) return kept;
    const slug = exists ? kept.slug : plan.postSlug;
    if (slug === undefined) return undefined;
    const body = await get(`/posts/${urlSegment(slug)}/`, flags);
    return body ? { slug, body } : undefined;
  };
  const pageListDefault = async (): Promise<ProfileProbes['pageListDefault']> => {
    const kept = old.pageListDefault;
    const exists = kept && pagesOf(kept.pageType).length > 0;
    if (kept && exists && !typeRefreshed(kept.pageType)) return kept;
    const type = exists ? kept.pageType : plan.listing;
    if (type === undefined) return undefined;
    const params = { levels: 1, alt_media_text: 1, ...localeParam, ...flags };
    const body = await get(listingPath({ kind: 'page', pageType: type }), params);
    return body ? { pageType: type, body } : undefined;
  };
  const embeddedOne = async (probe: Embedded): Promise<Embedded | undefined> => {
    const params = { levels: 2, alt_media_text: 1, ...localeParam, ...flags };
    const { entity } = probe;
    const path =
      entity.kind === 'page'
        ? `/pages/${urlSegment(entity.pageType)}/${urlSegment(entity.slug)}/`
        : `/content/?keys=${encodeURIComponent(`${entity.key}[_id=${entity.id}]`)}`;
    const body = await get(path, params);
    return body ? { ...probe, body } : undefined;
  };
  const embedded = async (): Promise<ProfileProbes['embedded']> => {
    if (env.levels < 2) return [];
    const exists = (p: Embedded) =>
      p.entity.kind === 'page'
        ? hasPage(p.entity.pageType, p.entity.slug)
        : itemIds(p.entity.key).includes(p.entity.id);
    // The answer embeds what the entity references: stale when either was refreshed.
    const stale = (p: Embedded) => {
      const { entity } = p;
      const own =
        entity.kind === 'page'
          ? pagesOf(entity.pageType).filter((e) => e.slug === entity.slug)
          : (first?.collections[entity.key] ?? []).filter(
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
    if (old.embedded.length === 0 || !old.embedded.every(exists)) {
      const answers = await Promise.all(
        plan.embedded.map((t) => embeddedOne({ entity: t.entity, locale: t.locale, body: {} })),
      );
      return answers.filter((a): a is Embedded => a !== undefined);
    }
    const answers = await Promise.all(
      old.embedded.map((p) => (stale(p) ? embeddedOne(p) : Promise.resolve(p))),
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
    const entities = (l: ListingRef) =>
      l.kind === 'page' ? pagesOf(l.pageType) : (first?.collections[l.key] ?? []);
    const again = (l: ListingRef) =>
      l.kind === 'page' ? typeRefreshed(l.pageType) : refreshed.collections.has(l.key);
    const answers = await Promise.all(
      listings.map((l) => {
        const size = mediaProbeSize(entities(l).slice(0, env.pageSize));
        const probe = kept.get(listingKey(l));
        if (size === 0) return undefined;
        return probe && !again(l)
          ? probe
          : fetchMediaProbe(get, l, size, first?.locale ?? null, env.preview);
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
