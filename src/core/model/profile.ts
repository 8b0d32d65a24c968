/**
 * What the reader learns from the probe answers saved by the sync (`ProfileProbes`), pure.
 * Every shape the docs leave open is taken from a probe when there is one; otherwise a
 * documented fallback is used and named in `fallbacks`:
 *
 * - embedded page (levels ≥ 2): the keys the server sent, in its order — fallback: the docs'
 *   example, `slug` and `fields`;
 * - embedded collection item: the stored item minus the keys the server left out — fallback:
 *   the whole item (`meta` included, as in the docs' example);
 * - post detail and `recent_posts` entries: key order, keys the list shape lacks (`deleted`),
 *   keys the detail sets to `null` (`url`), nested key order (`author`) — fallback: the list
 *   shape (recent posts: the detail shape, as the recordings show);
 * - `next_post`: the newer or the older neighbour, and its keys — fallback: the docs' example
 *   (next is newer; `slug`, `title`, `featured_image`);
 * - default page size of page lists and the meta key order — fallback: 10 (the size of every
 *   example in the docs), at least as many as the probe listing returned;
 * - which `{url, alt}`-shaped objects are content, not media (per listing, from the media
 *   probes) — fallback: every one is media.
 */

import type { EntityList, EntityRef, Json, JsonObject, ProfileProbes } from './content.ts';
import { entityAt, findEntityIndex } from './entity-list.ts';
import { isObject } from './json.ts';
import { listedRef, listingEntities } from './listing.ts';
import { compareMedia, type NotMedia, type ValuePath } from './media-paths.ts';
import { parseRef } from './refs.ts';

export interface PostShape {
  /** Key order of the probe's post, or `null` to keep the list shape's order. */
  order: string[] | null;
  /** Keys whose value is the same for every post in this shape (`deleted: null`, `url: null`). */
  constants: { [key: string]: Json };
  /** Key order of nested objects (`author`) and of list entries (`categories`, `tags`). */
  nested: { [key: string]: string[] };
}

export interface EmbeddedProfile {
  /** Keys of an expanded page, in the server's order. */
  pageKeys: string[];
  /** Keys of a stored item an expanded item leaves out. */
  itemDrop: string[];
}

export interface PostProfile {
  detail: PostShape;
  recent: PostShape;
  /** Which neighbour `meta.next_post` is, in the list's order (newest first). */
  nextPost: 'newer' | 'older';
  neighbourKeys: string[];
  detailMetaKeys: string[];
}

export interface ListProfile {
  pageListDefaultSize: number;
  pageListMetaKeys: string[] | undefined;
}

/**
 * The snapshot file holding the `ApiProfile` the sync learned (snapshots written before it
 * existed have none: the reader then learns from `probes.json`).
 */
export const PROFILE_FILE = 'profile.json';

export interface MediaProfile {
  /**
   * Per listing, where `{url, alt}`-shaped objects are content (served as objects whatever
   * `alt_media_text` says); listings with none are left out. Absent in profiles written before
   * media probes: every such object is then media.
   */
  notMedia?: NotMedia[];
}

export interface ApiProfile extends EmbeddedProfile, PostProfile, ListProfile, MediaProfile {
  /** Which shapes fell back to documented behaviour (no probe). */
  fallbacks: string[];
}

/** What `learnApiProfile` needs from the content. */
export interface ProfileContent {
  /** Posts in list shape, newest first. */
  posts: EntityList;
  /** A stored entity (a page of type `'*'` is a single page). */
  entity(ref: EntityRef, locale: string | null): JsonObject | undefined;
}

const DOCS_PAGE_KEYS = ['slug', 'fields'];
const DOCS_NEIGHBOUR_KEYS = ['slug', 'title', 'featured_image'];
const DOCS_PAGE_SIZE = 10;

/** The entity a probe body holds (`data` of a page, or the item in `data.<key>`). */
function probeEntity(probe: ProfileProbes['embedded'][number]): JsonObject | undefined {
  const data = probe.body.data;
  if (!isObject(data)) return undefined;
  if (probe.entity.kind === 'page') return data;
  const { key, id } = probe.entity;
  const list = Object.hasOwn(data, key) ? data[key] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.find((i): i is JsonObject => isObject(i) && isObject(i.meta) && i.meta.id === id);
}

export function learnEmbedded(
  probes: ProfileProbes,
  entity: ProfileContent['entity'],
  fallbacks: string[] = [],
): EmbeddedProfile {
  let pageKeys: string[] | undefined;
  let itemDrop: string[] | undefined;
  const visit = (stored: Json | undefined, answered: Json | undefined, locale: string | null) => {
    if (typeof stored === 'string' && isObject(answered)) {
      const ref = parseRef(stored);
      const target = ref ? entity(ref, locale) : undefined;
      if (!ref || !target) return;
      if (ref.kind === 'page') pageKeys ??= Object.keys(answered);
      else itemDrop ??= Object.keys(target).filter((k) => !Object.hasOwn(answered, k));
    } else if (Array.isArray(stored) && Array.isArray(answered)) {
      for (const [i, s] of stored.entries()) visit(s, answered[i], locale);
    } else if (isObject(stored) && isObject(answered)) {
      for (const key of Object.keys(stored)) {
        if (Object.hasOwn(answered, key)) visit(stored[key], answered[key], locale);
      }
    }
  };
  for (const probe of probes.embedded) {
    const stored = entity(probe.entity, probe.locale);
    const answered = probeEntity(probe);
    if (stored && answered) visit(stored, answered, probe.locale);
  }
  if (!pageKeys) fallbacks.push('embedded page keys: docs example (slug, fields)');
  if (!itemDrop) fallbacks.push('embedded item: the whole stored item');
  return { pageKeys: pageKeys ?? DOCS_PAGE_KEYS, itemDrop: itemDrop ?? [] };
}

function nestedOrder(post: JsonObject): { [key: string]: string[] } {
  const nested: { [key: string]: string[] } = {};
  for (const key of Object.keys(post)) {
    const value = post[key];
    if (isObject(value)) nested[key] = Object.keys(value);
    else if (Array.isArray(value) && isObject(value[0])) nested[key] = Object.keys(value[0]);
  }
  return nested;
}

/** The shape `answered` (a post as some endpoint serves it) has compared with its list shape. */
export function learnPostShape(answered: JsonObject, listed: JsonObject | undefined): PostShape {
  const constants: { [key: string]: Json } = {};
  if (listed) {
    for (const key of Object.keys(answered)) {
      const value = answered[key]!;
      if (!Object.hasOwn(listed, key)) constants[key] = value;
      else if (value === null && listed[key] !== null) constants[key] = null;
    }
  }
  return { order: Object.keys(answered), constants, nested: nestedOrder(answered) };
}

const LIST_SHAPE: PostShape = { order: null, constants: {}, nested: {} };

/** The post inside the `recent_posts` probe's answer, if any. */
function recentPostProbe(probes: ProfileProbes): JsonObject | undefined {
  const probe = probes.recentPosts;
  if (!probe) return undefined;
  const data = probe.body.data;
  const owner = Array.isArray(data)
    ? data.find((e): e is JsonObject => isObject(e) && e.slug === probe.slug)
    : isObject(data)
      ? data
      : undefined;
  const recent = owner?.recent_posts;
  return Array.isArray(recent) && isObject(recent[0]) ? recent[0] : undefined;
}

export function learnPosts(
  probes: ProfileProbes,
  posts: EntityList,
  fallbacks: string[] = [],
): PostProfile {
  // Posts may be spooled: each lookup reads the listing up to the post, so it is done once.
  const bySlug = (slug: Json | undefined) => findEntityIndex(posts, (p) => p.slug === slug);
  const probe = probes.postDetail;
  const data = probe && isObject(probe.body.data) ? probe.body.data : undefined;
  const meta = probe && isObject(probe.body.meta) ? probe.body.meta : undefined;
  const i = data ? bySlug(data.slug) : -1;
  let detail = LIST_SHAPE;
  if (data) detail = learnPostShape(data, entityAt(posts, i));
  else fallbacks.push('post detail: the list shape');

  let nextPost: 'newer' | 'older' | undefined;
  let neighbourKeys: string[] | undefined;
  if (data && meta) {
    const next = isObject(meta.next_post) ? meta.next_post : undefined;
    const previous = isObject(meta.previous_post) ? meta.previous_post : undefined;
    if (i >= 0 && next) nextPost = entityAt(posts, i - 1)?.slug === next.slug ? 'newer' : 'older';
    else if (i >= 0 && previous)
      nextPost = entityAt(posts, i + 1)?.slug === previous.slug ? 'newer' : 'older';
    const neighbour = next ?? previous;
    if (neighbour) neighbourKeys = Object.keys(neighbour);
  }
  if (!nextPost) fallbacks.push('next_post: the newer post (docs example)');
  if (!neighbourKeys) fallbacks.push('next_post/previous_post keys: slug, title, featured_image');

  const recentProbe = recentPostProbe(probes);
  const recent = recentProbe
    ? learnPostShape(recentProbe, entityAt(posts, bySlug(recentProbe.slug)))
    : detail;
  if (!recentProbe) fallbacks.push('recent_posts entries: the post detail shape (recordings)');
  return {
    detail,
    recent,
    nextPost: nextPost ?? 'newer',
    neighbourKeys: neighbourKeys ?? DOCS_NEIGHBOUR_KEYS,
    detailMetaKeys: meta ? Object.keys(meta) : ['next_post', 'previous_post'],
  };
}

export function learnLists(probes: ProfileProbes, fallbacks: string[] = []): ListProfile {
  const body = probes.pageListDefault?.body;
  const meta = body && isObject(body.meta) ? body.meta : undefined;
  const data = body?.data;
  if (!meta || !Array.isArray(data)) {
    fallbacks.push(`page list default size: ${DOCS_PAGE_SIZE} (docs examples)`);
    return { pageListDefaultSize: DOCS_PAGE_SIZE, pageListMetaKeys: undefined };
  }
  const count = typeof meta.count === 'number' ? meta.count : data.length;
  const truncated = data.length < count && data.length > 0;
  if (!truncated)
    fallbacks.push(`page list default size: at least ${data.length}, ${DOCS_PAGE_SIZE} assumed`);
  return {
    pageListDefaultSize: truncated ? data.length : Math.max(DOCS_PAGE_SIZE, data.length),
    pageListMetaKeys: Object.keys(meta),
  };
}

type MediaProbe = NonNullable<ProfileProbes['media']>[number];

/** The entities a media probe answered, with the stored entity each one is. */
function probedEntities(probe: MediaProbe): { ref: EntityRef; answered: JsonObject }[] {
  return listingEntities(probe.body, probe.listing).flatMap((answered) => {
    const ref = listedRef(probe.listing, answered);
    return ref ? [{ ref, answered }] : [];
  });
}

export function learnNotMedia(
  probes: ProfileProbes,
  entity: ProfileContent['entity'],
  fallbacks: string[] = [],
): Required<MediaProfile> {
  if (!probes.media) {
    fallbacks.push('media: every {url, alt} object (no media probe)');
    return { notMedia: [] };
  }
  const notMedia: NotMedia[] = [];
  for (const probe of probes.media) {
    const found = { media: new Set<string>(), content: new Map<string, ValuePath>() };
    for (const { ref, answered } of probedEntities(probe)) {
      const stored = entity(ref, probe.locale);
      if (stored) compareMedia(stored, answered, found);
    }
    // A path seen as media anywhere stays media (the server would not serve it both ways).
    const paths = [...found.content.keys()]
      .filter((key) => !found.media.has(key))
      .sort()
      .map((key) => found.content.get(key)!);
    if (paths.length > 0) notMedia.push({ listing: probe.listing, paths });
  }
  return { notMedia };
}

/** The entities `learnNotMedia` compares: those of the media probes' answers. */
export function mediaProbeRefs(probes: ProfileProbes): { ref: EntityRef; locale: string | null }[] {
  return (probes.media ?? []).flatMap((probe) =>
    probedEntities(probe).map(({ ref }) => ({ ref, locale: probe.locale })),
  );
}

/** Everything the reader learns from the probes (see the module comment). */
export function learnApiProfile(probes: ProfileProbes, content: ProfileContent): ApiProfile {
  const fallbacks: string[] = [];
  return {
    ...learnEmbedded(probes, content.entity, fallbacks),
    ...learnPosts(probes, content.posts, fallbacks),
    ...learnLists(probes, fallbacks),
    ...learnNotMedia(probes, content.entity, fallbacks),
    fallbacks,
  };
}
