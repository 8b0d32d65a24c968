/**
 * The reader's `ApiProfile`, learned at sync time from the in-memory content and stored as the
 * small `profile.json`: the reader (in a client bundle above all) then never loads the probe
 * answers (`probes.json`, full entity copies) just to learn a few key orders.
 */

import type { StagedContent } from '../model/content.ts';
import { learnApiProfile, PROFILE_FILE } from '../model/profile.ts';
import { findEntity } from '../snapshot/find.ts';

/** `profile.json` for `writeSnapshot`'s `extraFiles`. */
export function profileFile(content: StagedContent): Record<string, string> {
  const profile = learnApiProfile(content.probes, {
    posts: content.blog.posts,
    entity: (ref, locale) => findEntity(content, ref, locale),
  });
  return { [PROFILE_FILE]: `${JSON.stringify(profile, null, 2)}\n` };
}
