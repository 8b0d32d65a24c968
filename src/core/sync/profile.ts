/**
 * The reader's `ApiProfile`, learned at sync time from the in-memory content and stored as the
 * small `profile.json`: the reader (in a client bundle above all) then never loads the probe
 * answers (`probes.json`, full entity copies) just to learn a few key orders.
 */
import { learnApiProfile, PROFILE_FILE } from '../reader/profile.ts';
import type { EntityRef, JsonObject, SnapshotContent } from '../snapshot/model.ts';

/** `profile.json` for `writeSnapshot`'s `extraFiles`. */
export function profileFile(content: SnapshotContent): Record<string, string> {
  const profile = learnApiProfile(content.probes, {
    posts: content.blog.posts,
    entity: (ref, locale) => entityOf(content, ref, locale),
  });
  return { [PROFILE_FILE]: `${JSON.stringify(profile, null, 2)}\n` };
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
