import type { EntityList, JsonObject, ListingRef, StagedContent } from '../../model/content.ts';
import { isObject } from '../../model/json.ts';
import { contentPathsByListing, listingKey, NO_CONTENT_PATHS } from '../../model/media-paths.ts';
import { learnEmbedded, learnNotMedia, type ProfileContent } from '../../model/profile.ts';
import { DEFAULT_MEDIA_HOSTS } from '../../options.ts';
import { findEntity } from '../../snapshot/find.ts';
import { type Entity, LOCK_VERSION, type TypesLock } from '../model.ts';
import { addFields, type InferContext, newObjAcc, type ObjAcc } from './accumulate.ts';
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
export function inferContent(content: StagedContent, options: InferOptions): TypesLock {
  const lookup: ProfileContent['entity'] = (ref, locale) => findEntity(content, ref, locale);
  const notMedia = contentPathsByListing(learnNotMedia(content.probes, lookup).notMedia);
  const ctx: InferContext = {
    mediaHosts: new Set((options.mediaHosts ?? DEFAULT_MEDIA_HOSTS).map((h) => h.toLowerCase())),
    components: new Map(),
    notMedia: NO_CONTENT_PATHS,
    path: [],
  };
  /** Adds one entity's values (`value`, found at `base` in it) of `listing` to `acc`. */
  const add = (acc: ObjAcc, value: JsonObject, listing: ListingRef | null, base: string[]) => {
    ctx.notMedia = (listing && notMedia.get(listingKey(listing))) ?? NO_CONTENT_PATHS;
    ctx.path = [...base];
    addFields(acc, value, ctx);
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
      const listing = { kind: 'page' as const, pageType: '*' };
      add(entry(singlePages, page.slug), fieldsOf(page), listing, ['fields']);
    }
    for (const [type, pages] of Object.entries(locale.pageTypes)) {
      const acc = entry(pageTypes, type);
      const listing = { kind: 'page' as const, pageType: type };
      for (const page of pages) add(acc, fieldsOf(page), listing, ['fields']);
    }
    for (const [key, items] of Object.entries(locale.collections)) {
      const acc = entry(collections, key);
      for (const item of items) add(acc, item, { kind: 'item', key }, []);
    }
  }
  const blog = new Map<string, ObjAcc>();
  const blogSources: [string, EntityList][] = [
    ['post', content.blog.posts],
    ['author', content.blog.authors],
    ['category', content.blog.categories],
    ['tag', content.blog.tags],
  ];
  for (const [key, items] of blogSources) {
    if (items.length === 0) continue;
    const acc = entry(blog, key);
    for (const item of items) add(acc, item, null, []);
  }

  const { pageKeys, itemDrop } = learnEmbedded(content.probes, lookup);
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

function entities(map: Map<string, ObjAcc>): Entity[] {
  return [...map.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => entity(key, map.get(key)!));
}

function entity(key: string, acc: ObjAcc): Entity {
  return { key, samples: acc.samples, shape: finalizeObject(acc) };
}
