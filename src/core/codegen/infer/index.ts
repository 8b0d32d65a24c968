import { DEFAULT_MEDIA_HOSTS } from '../../options.ts';
import { learnEmbedded, type ProfileContent } from '../../reader/profile.ts';
import type { JsonObject, SnapshotContent } from '../../snapshot/model.ts';
import { type Entity, LOCK_VERSION, type TypesLock } from '../model.ts';
import { addFields, type InferContext, isObject, newObjAcc, type ObjAcc } from './accumulate.ts';
import { finalizeObject } from './finalize.ts';

export interface InferOptions {
  levels: number;
  /** Hosts whose URLs are media (besides `{url, alt}` objects). @default DEFAULT_MEDIA_HOSTS */
  mediaHosts?: readonly string[];
}

/**
 * Infers the schema of one snapshot, from every sample of every locale (pure). Names are not
 * assigned here; that happens once the result is merged with the previous lock.
 */
export function inferContent(content: SnapshotContent, options: InferOptions): TypesLock {
  const ctx: InferContext = {
    mediaHosts: new Set((options.mediaHosts ?? DEFAULT_MEDIA_HOSTS).map((h) => h.toLowerCase())),
    components: new Map(),
  };
  const pageTypes = new Map<string, ObjAcc>();
  const singlePages = new Map<string, ObjAcc>();
  const collections = new Map<string, ObjAcc>();
  const entry = (map: Map<string, ObjAcc>, key: string): ObjAcc => {
    let acc = map.get(key);
    if (!acc) {
      acc = newObjAcc();
      map.set(key, acc);
    }
    return acc;
  };
  const fieldsOf = (page: JsonObject): JsonObject => (isObject(page.fields) ? page.fields : {});

  for (const locale of content.locales) {
    for (const page of locale.singlePages) {
      if (typeof page.slug !== 'string') continue;
      addFields(entry(singlePages, page.slug), fieldsOf(page), ctx);
    }
    for (const [type, pages] of Object.entries(locale.pageTypes)) {
      const acc = entry(pageTypes, type);
      for (const page of pages) addFields(acc, fieldsOf(page), ctx);
    }
    for (const [key, items] of Object.entries(locale.collections)) {
      const acc = entry(collections, key);
      for (const item of items) addFields(acc, item, ctx);
    }
  }
  const blog = new Map<string, ObjAcc>();
  const blogSources: [string, JsonObject[]][] = [
    ['post', content.blog.posts],
    ['author', content.blog.authors],
    ['category', content.blog.categories],
    ['tag', content.blog.tags],
  ];
  for (const [key, items] of blogSources) {
    if (items.length === 0) continue;
    const acc = entry(blog, key);
    for (const item of items) addFields(acc, item, ctx);
  }

  const { pageKeys, itemDrop } = learnEmbedded(content.probes, entityLookup(content));
  return {
    version: LOCK_VERSION,
    levels: options.levels,
    embedded: { pageKeys, itemDrop },
    pageTypes: entities(pageTypes),
    singlePages: entities(singlePages),
    collections: entities(collections),
    components: entities(ctx.components),
    blog: [...blog].map(([key, acc]) => entity(key, acc)),
  };
}

/** Stored entities by reference, for learning the embedded shapes from the probes. */
function entityLookup(content: SnapshotContent): ProfileContent['entity'] {
  return (ref, locale) => {
    const content_ = content.locales.find((l) => l.locale === locale) ?? content.locales[0];
    if (!content_) return undefined;
    if (ref.kind === 'item') {
      const items = Object.hasOwn(content_.collections, ref.key)
        ? content_.collections[ref.key]
        : [];
      return items?.find((i) => isObject(i.meta) && i.meta.id === ref.id);
    }
    const pages =
      ref.pageType === '*'
        ? content_.singlePages
        : Object.hasOwn(content_.pageTypes, ref.pageType)
          ? content_.pageTypes[ref.pageType]
          : [];
    return pages?.find((p) => p.slug === ref.slug);
  };
}

function entities(map: Map<string, ObjAcc>): Entity[] {
  return [...map.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => entity(key, map.get(key)!));
}

function entity(key: string, acc: ObjAcc): Entity {
  return { key, samples: acc.samples, shape: finalizeObject(acc) };
}
