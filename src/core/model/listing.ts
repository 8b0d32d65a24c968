/**
 * Listing answers, pure: where the entities of a page of a listing are (`data` for pages and
 * posts, `data.<key>` for a collection's items), its `meta.count`, and which stored entity an
 * answered one is, and the one loop that follows `meta.next_page`. Lenient: what is not an
 * entity is dropped (the crawl's strict reading is `storedEntities`, `sync/api.ts`).
 */
import type { EntityRef, JsonObject, ListingRef } from './content.ts';
import { isObject } from './json.ts';

/** `meta.count` of a listing answer, when it has one. */
export function metaCount(body: JsonObject): number | undefined {
  const count = isObject(body.meta) ? body.meta.count : undefined;
  return typeof count === 'number' ? count : undefined;
}

/** `body.data` as a list of objects (anything else is dropped). */
export function dataList(body: JsonObject): JsonObject[] {
  const data = body.data;
  return Array.isArray(data) ? data.filter(isObject) : [];
}

/** The key in a collection response's `data` that holds its items: `<key>`, or the only list. */
export function collectionListKey(body: JsonObject, key: string): string | undefined {
  const data = body.data;
  if (!isObject(data)) return undefined;
  if (Object.hasOwn(data, key) && Array.isArray(data[key])) return key;
  const lists = Object.keys(data).filter((k) => Array.isArray(data[k]));
  return lists.length === 1 ? lists[0] : undefined;
}

/** `data.<key>` of a collection response (or the only list in `data`). */
export function collectionItems(body: JsonObject, key: string): JsonObject[] {
  const listKey = collectionListKey(body, key);
  const list = listKey === undefined ? undefined : (body.data as JsonObject)[listKey];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** The entities a page of `listing` holds: `data` for pages, `data.<key>` for items. */
export function listingEntities(body: JsonObject, listing: ListingRef): JsonObject[] {
  return listing.kind === 'page' ? dataList(body) : collectionItems(body, listing.key);
}

/** The stored entity a listing's answer holds (by slug, or by `meta.id` for items). */
export function listedRef(listing: ListingRef, entity: JsonObject): EntityRef | undefined {
  if (listing.kind === 'page') {
    return typeof entity.slug === 'string'
      ? { kind: 'page', pageType: listing.pageType, slug: entity.slug }
      : undefined;
  }
  const id = isObject(entity.meta) ? entity.meta.id : undefined;
  return typeof id === 'number' ? { kind: 'item', key: listing.key, id } : undefined;
}

/**
 * A listing's pages one request at a time along `meta.next_page`: the one loop every paginated
 * read shares (the client's fallback, the taxonomies, the Astro loader). `visit` takes each page
 * from `first` on and returns the page to ask for next, or `undefined` at the end; it guards the
 * chain (a page that does not advance, more pages than promised) by throwing.
 */
export async function followPages<P>(
  first: P,
  load: (at: number) => Promise<P>,
  visit: (page: P) => number | undefined,
): Promise<void> {
  for (let page = first; ; ) {
    const next = visit(page);
    if (next === undefined) return;
    page = await load(next);
  }
}
