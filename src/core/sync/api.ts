/**
 * The part of the API client the crawler uses (`src/core/client`), as an interface, so the
 * crawl can be driven by any implementation of it.
 */
import type { ListAllOptions, ListAllResult, QueryParams } from '../client/index.ts';
import { isObject } from '../json.ts';
import type { JsonObject, ListingRef } from '../snapshot/model.ts';

export type { QueryParams };

export interface SyncApi {
  get(path: string, params?: QueryParams, options?: { signal?: AbortSignal }): Promise<JsonObject>;
  listAll<T>(
    path: string,
    params: QueryParams,
    options: ListAllOptions<T>,
  ): Promise<ListAllResult<T>>;
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
