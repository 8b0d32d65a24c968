/**
 * The part of the API client the crawler uses (`src/core/client`), as an interface, so the
 * crawl can be driven by any implementation of it.
 */
import type { ListAllOptions, ListAllResult, QueryParams } from '../client/index.ts';
import type { Json, JsonObject } from '../snapshot/model.ts';

export type { QueryParams };

export interface SyncApi {
  get(path: string, params?: QueryParams, options?: { signal?: AbortSignal }): Promise<JsonObject>;
  listAll<T>(
    path: string,
    params: QueryParams,
    options: ListAllOptions<T>,
  ): Promise<ListAllResult<T>>;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `body.data` as a list of objects (anything else is dropped). */
export function dataList(body: JsonObject): JsonObject[] {
  const data = body.data;
  return Array.isArray(data) ? data.filter(isObject) : [];
}
