/**
 * The reader's `ApiProfile`, learned at sync time from the in-memory content and stored as the
 * small `profile.json`: the reader (in a client bundle above all) then never loads the probe
 * answers (`probes.json`, full entity copies) just to learn a few key orders.
 */

import type { JsonObject, SnapshotContent } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import {
  learnApiProfile,
  mediaProbeRefs,
  PROFILE_FILE,
  recentPostProbe,
} from '../model/profile.ts';
import { collectRefs } from '../model/refs.ts';
import { findEntity } from '../snapshot/find.ts';
import { paths } from '../snapshot/names.ts';

/** Whole entities standing in for the crawl's stubs (`stubOf`), by logical snapshot path. */
export type WholeEntities = Map<string, JsonObject>;

/** `profile.json` for `writeSnapshot`'s `extraFiles`. */
export function profileFile(
  content: SnapshotContent,
  whole: WholeEntities = new Map(),
): Record<string, string> {
  // The few whole posts by slug: naming every post's path would cost more than the profile.
  const wholePosts = new Map<unknown, JsonObject>();
  for (const [path, entity] of whole) {
    if (typeof entity.slug === 'string' && path === paths.post(entity.slug)) {
      wholePosts.set(entity.slug, entity);
    }
  }
  const posts = content.blog.posts.map((post) => wholePosts.get(post.slug) ?? post);
  const profile = learnApiProfile(content.probes, {
    posts,
    entity: (ref, locale) =>
      whole.get(paths.entity(ref, locale)) ?? findEntity(content, ref, locale),
  });
  return { [PROFILE_FILE]: `${JSON.stringify(profile, null, 2)}\n` };
}

/**
 * Reads back (`read`, by logical path) the whole entities `profileFile` looks at, when the
 * crawl kept stubs: the probed posts, the probed entities and what they reference, and the
 * entities the media probes answered for (those the crawl kept whole, `known`, are not read).
 */
export async function wholeEntitiesForProfile(
  probes: SnapshotContent['probes'],
  read: (path: string) => Promise<JsonObject | undefined>,
  known: WholeEntities = new Map(),
): Promise<WholeEntities> {
  const whole: WholeEntities = new Map(known);
  // Independent reads go at once (the sync waits for them before its last write).
  const loadAll = (list: string[]) =>
    Promise.all(
      [...new Set(list)].map(async (path) => {
        if (whole.has(path)) return;
        const entity = await read(path);
        if (entity) whole.set(path, entity);
      }),
    );
  const detail = probes.postDetail?.body.data;
  const slugs = [isObject(detail) ? detail.slug : undefined, recentPostProbe(probes)?.slug];
  const probed = probes.embedded.map((probe) => paths.entity(probe.entity, probe.locale));
  await Promise.all([
    loadAll(slugs.filter((slug) => typeof slug === 'string').map(paths.post)),
    loadAll(probed),
    loadAll(mediaProbeRefs(probes).map(({ ref, locale }) => paths.entity(ref, locale))),
  ]);
  const referenced = probes.embedded.flatMap((probe, i) =>
    collectRefs(whole.get(probed[i]!) ?? null).map(({ ref }) => paths.entity(ref, probe.locale)),
  );
  await loadAll(referenced);
  return whole;
}
