/**
 * Probe requests: the few answers the reader needs to rebuild shapes the docs leave open
 * (see `ProfileProbes`). Chosen from the crawled content, fetched in parallel, at most
 * four requests whatever the account's size.
 */
import type { EntityRef, JsonObject, LocaleContent, ProfileProbes } from '../snapshot/model.ts';
import type { QueryParams, SyncApi } from './api.ts';
import { segment } from './listings.ts';
import { collectRefs } from './refs.ts';

export interface ProbeContext {
  api: SyncApi;
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
  locale: LocaleContent | undefined,
  posts: readonly JsonObject[],
  levels: number,
) {
  const postSlug = pickPost(posts);
  const embedded = levels >= 2 && locale ? pickEmbedded(locale) : [];
  const listing = locale ? pickListing(locale) : undefined;
  return { postSlug, embedded, listing };
}

function pickPost(posts: readonly JsonObject[]): string | undefined {
  const post = posts.length >= 3 ? posts[1] : posts[0];
  return typeof post?.slug === 'string' ? post.slug : undefined;
}

/** A page that references a page and one that references an item (the same one if it can). */
function pickEmbedded(locale: LocaleContent): EmbeddedTarget[] {
  const candidates: { pageType: string; page: JsonObject }[] = [
    ...locale.singlePages.map((page) => ({ pageType: '*', page })),
    ...Object.entries(locale.pageTypes).flatMap(([pageType, pages]) =>
      pages.map((page) => ({ pageType, page })),
    ),
  ];
  let both: EmbeddedTarget | undefined;
  let toPage: EmbeddedTarget | undefined;
  let toItem: EmbeddedTarget | undefined;
  for (const { pageType, page } of candidates) {
    if (typeof page.slug !== 'string') continue;
    const refs = collectRefs(page.fields ?? null);
    if (refs.length === 0) continue;
    const target: EmbeddedTarget = {
      entity: { kind: 'page', pageType, slug: page.slug },
      locale: locale.locale,
      path: `/pages/${segment(pageType).replace(/%2A/g, '*')}/${segment(page.slug)}/`,
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
  if (both) return [both];
  const targets = [toPage, toItem].filter((t): t is EmbeddedTarget => t !== undefined);
  if (targets.length > 0) return targets;
  // No page holds references: an item that does, through its reference URI.
  for (const [key, items] of Object.entries(locale.collections)) {
    for (const item of items) {
      const { meta, ...values } = item;
      const id = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta.id : null;
      if (typeof id !== 'number' || collectRefs(values).length === 0) continue;
      return [
        {
          entity: { kind: 'item', key, id },
          locale: locale.locale,
          path: `/content/?keys=${encodeURIComponent(`${key}[_id=${id}]`)}`,
        },
      ];
    }
  }
  return [];
}

/** The largest page type (single pages when there is none): its first page, unpaginated. */
function pickListing(locale: LocaleContent): string | undefined {
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

/** Makes the probe requests; a probe answered 404 is skipped with a warning. */
export async function fetchProbes(
  ctx: ProbeContext,
  locale: LocaleContent | undefined,
  posts: readonly JsonObject[],
): Promise<ProfileProbes> {
  const plan = planProbes(locale, posts, ctx.levels);
  const flags: QueryParams = ctx.preview ? { preview: 1 } : {};
  const localeParam: QueryParams = locale?.locale ? { locale: locale.locale } : {};
  let postDetail: ProfileProbes['postDetail'];
  let pageListDefault: ProfileProbes['pageListDefault'];
  const get = async (path: string, params: QueryParams) => {
    try {
      return await ctx.api.get(path, params, { signal: ctx.signal });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'NOT_FOUND') throw error;
      ctx.warn(`probe ${path} answered 404; skipped`);
      return undefined;
    }
  };

  const tasks: Promise<void>[] = [];
  const { postSlug, listing } = plan;
  if (postSlug !== undefined) {
    tasks.push(
      get(`/posts/${segment(postSlug)}/`, flags).then((body) => {
        if (body) postDetail = { slug: postSlug, body };
      }),
    );
  }
  const embedded: (ProfileProbes['embedded'][number] | undefined)[] = [];
  plan.embedded.forEach((target, i) => {
    const params = { levels: 2, alt_media_text: 1, ...localeParam, ...flags };
    tasks.push(
      get(target.path, params).then((body) => {
        if (body) embedded[i] = { entity: target.entity, locale: target.locale, body };
      }),
    );
  });
  if (listing !== undefined) {
    const params = { levels: 1, alt_media_text: 1, ...localeParam, ...flags };
    tasks.push(
      get(`/pages/${listing === '*' ? '*' : segment(listing)}/`, params).then((body) => {
        if (body) pageListDefault = { pageType: listing, body };
      }),
    );
  }
  await Promise.all(tasks);
  // Built in a fixed key order, whatever order the answers came in: the same account gives
  // the same probes.json.
  const probes: ProfileProbes = { embedded: embedded.filter((e) => e !== undefined) };
  if (postDetail) probes.postDetail = postDetail;
  if (pageListDefault) probes.pageListDefault = pageListDefault;
  return probes;
}
