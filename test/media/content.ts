import type { JsonObject, SnapshotContent } from '../../src/core/model/content.ts';

/** A SnapshotContent with only what a test sets. */
export function makeContent(parts: {
  pages?: { [type: string]: JsonObject[] };
  singlePages?: JsonObject[];
  collections?: { [key: string]: JsonObject[] };
  locale?: string | null;
  posts?: JsonObject[];
  authors?: JsonObject[];
  probes?: SnapshotContent['probes'];
}): SnapshotContent {
  return {
    locales: [
      {
        locale: parts.locale ?? null,
        singlePages: parts.singlePages ?? [],
        pageTypes: parts.pages ?? {},
        collections: parts.collections ?? {},
      },
    ],
    blog: {
      posts: parts.posts ?? [],
      authors: parts.authors ?? [],
      categories: [],
      tags: [],
      recentPosts: { authors: {}, categories: {}, tags: {} },
    },
    probes: parts.probes ?? { embedded: [] },
  };
}

/** Deep-frozen copy, so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
