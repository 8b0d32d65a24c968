/**
 * The part of the API client the crawler uses (`src/core/client`), as an interface, so the
 * crawl can be driven by any implementation of it.
 */
import { ListingShapeProblem } from '../client/errors.ts';
import type { ListAllOptions, ListAllResult, QueryParams } from '../client/index.ts';
import type { Json, JsonObject, ListingRef } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { collectionListKey } from '../model/listing.ts';

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
