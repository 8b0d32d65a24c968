/**
 * The reader's `ApiProfile`, learned at sync time from the in-memory content and stored as the
 * small `profile.json`: the reader (in a client bundle above all) then never loads the probe
 * answers (`probes.json`, full entity copies) just to learn a few key orders.
 */
import { learnApiProfile, PROFILE_FILE, recentPostProbe } from '../reader/profile.ts';
import type { EntityRef, JsonObject, SnapshotContent } from '../snapshot/model.ts';
import { paths } from '../snapshot/names.ts';
import { isObject } from './api.ts';
import { collectRefs } from './refs.ts';

/** Whole entities standing in for the crawl's stubs (`stubOf`), by logical snapshot path. */
export type WholeEntities = Map<string, JsonObject>;

/** `profile.json` for `writeSnapshot`'s `extraFiles`. */
export function profileFile(
  content: SnapshotContent,
  whole: WholeEntities = new Map(),
): Record<string, string> {
  const posts = content.blog.posts.map((post) =>
    typeof post.slug === 'string' ? (whole.get(paths.post(post.slug)) ?? post) : post,
  );
  const profile = learnApiProfile(content.probes, {
    posts,
    entity: (ref, locale) => whole.get(paths.entity(ref, locale)) ?? entityOf(content, ref, locale),
  });
  return { [PROFILE_FILE]: `${JSON.stringify(profile, null, 2)}\n` };
}

/**
 * Reads back (`read`, by logical path) the whole entities `profileFile` looks at, when the
 * crawl kept stubs: the probed posts, the probed entities and what they reference.
 */
export async function wholeEntitiesForProfile(
  probes: SnapshotContent['probes'],
  read: (path: string) => Promise<JsonObject | undefined>,
): Promise<WholeEntities> {
  const whole: WholeEntities = new Map();
  const load = async (path: string) => {
    const entity = whole.get(path) ?? (await read(path));
    if (entity) whole.set(path, entity);
    return entity;
  };
  const detail = probes.postDetail?.body.data;
  for (const slug of [isObject(detail) ? detail.slug : undefined, recentPostProbe(probes)?.slug]) {
    if (typeof slug === 'string') await load(paths.post(slug));
  }
  for (const probe of probes.embedded) {
    const entity = await load(paths.entity(probe.entity, probe.locale));
    for (const { ref } of collectRefs(entity ?? null)) {
      await load(paths.entity(ref, probe.locale));
    }
  }
  return whole;
}

function entityOf(
  content: SnapshotContent,
  ref: EntityRef,
  locale: string | null,
): JsonObject | undefined {
  const l = content.locales.find((x) => x.locale === locale);
  if (!l) return undefined;
  if (ref.kind === 'item') {
    const items = Object.hasOwn(l.collections, ref.key) ? l.collections[ref.key] : undefined;
    return items?.find((i) => (i.meta as { id?: unknown } | undefined)?.id === ref.id);
  }
  const pages =
    ref.pageType === '*'
      ? l.singlePages
      : Object.hasOwn(l.pageTypes, ref.pageType)
        ? l.pageTypes[ref.pageType]
        : undefined;
  return pages?.find((p) => p.slug === ref.slug);
}
