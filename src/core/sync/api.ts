/**
 * The part of the API client the crawler uses (`src/core/client`), as an interface, so the
 * crawl can be driven by any implementation of it.
 */
// The reader (browser bundles too) imports this module: errors.ts only, never the transport.
import { ListingShapeProblem } from '../client/errors.ts';
import type { ListAllOptions, ListAllResult, QueryParams } from '../client/index.ts';
import { isObject } from '../json.ts';
import type { Json, JsonObject, ListingRef } from '../snapshot/model.ts';

export type { QueryParams };

/**
 * What a listing holds, which tells where a page's items are in its body and how they are
 * named (the crawl's rules): `data` lists pages and posts, `data.<key>` a collection's items.
 */
export type ListingShape = ListingRef | { kind: 'post' };

export interface SyncApi {
  get(path: string, params?: QueryParams, options?: { signal?: AbortSignal }): Promise<JsonObject>;
  listAll<T>(
    path: string,
    params: QueryParams,
    options: ListAllOptions<T>,
  ): Promise<ListAllResult<T>>;
}

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

/**
 * The entities of a listing page the crawl stores. Unlike `listingEntities` nothing is dropped:
 * an item that is not an object, or no list where the items belong, refuses the answer
 * (`ListingShapeProblem`), so a broken server cannot empty a page type without a word.
 */
export function storedEntities(body: JsonObject, shape: ListingShape): JsonObject[] {
  const key = shape.kind === 'item' ? collectionListKey(body, shape.key) : undefined;
  const list =
    shape.kind !== 'item'
      ? body.data
      : key === undefined
        ? undefined
        : (body.data as JsonObject)[key];
  if (!Array.isArray(list)) {
    throw new ListingShapeProblem(
      shape.kind === 'item'
        ? `a collection listing without its item list (\`data.${shape.key}\`)`
        : 'a listing whose `data` is not a list',
    );
  }
  return entitiesIn(list);
}

/** `list`, when every item is an object (an entity); else a `ListingShapeProblem` naming one. */
export function entitiesIn(list: readonly Json[]): JsonObject[] {
  const at = list.findIndex((item) => !isObject(item));
  if (at !== -1) {
    const item = list[at];
    const what = item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`;
    throw new ListingShapeProblem(
      `a listing whose item ${at + 1} of ${list.length} is ${what}, not an entity (an object)`,
    );
  }
  return list as JsonObject[];
}
