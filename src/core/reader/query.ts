/**
 * Query parameters, pure: normalization (the SDK sends every value as text), `fields.*`
 * filters, `order`, and both pagination styles with their `meta`.
 */

import type { Json, JsonObject } from '../model/content.ts';
import { isObject, setOwn } from '../model/json.ts';
import { badRequest, notFound } from './errors.ts';
import type { Params } from './schema.ts';

/** Parameters as the server sees them: text values, undefined ones dropped. */
export function normalizeParams(params: Params | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (!params) return out;
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    out[key] = String(value);
  }
  return out;
}

export function param(params: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function positiveInt(params: Record<string, string>, name: string, min: number) {
  const text = param(params, name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw badRequest(`${name} must be an integer of at least ${min}.`);
  }
  return value;
}

export type Paging =
  | { style: 'page'; page: number; pageSize: number }
  | { style: 'offset'; offset: number; limit: number }
  | { style: 'none' };

/**
 * The pagination a request asks for. `limit`/`offset` win over `page`/`page_size` (the docs:
 * "if you provide limit or offset we will ignore page and page_size").
 */
export function readPaging(params: Record<string, string>, defaultSize: number | null): Paging {
  const limit = positiveInt(params, 'limit', 1);
  const offset = positiveInt(params, 'offset', 0);
  if (limit !== undefined || offset !== undefined) {
    return { style: 'offset', offset: offset ?? 0, limit: limit ?? defaultSize ?? Infinity };
  }
  const page = positiveInt(params, 'page', 1);
  const pageSize = positiveInt(params, 'page_size', 1);
  if (page === undefined && pageSize === undefined && defaultSize === null)
    return { style: 'none' };
  return { style: 'page', page: page ?? 1, pageSize: pageSize ?? defaultSize ?? Infinity };
}

export interface Slice<T> {
  items: T[];
  meta: { [key: string]: number | null };
}

/** Where one page of a listing of `count` entries starts and ends, with its meta. */
export interface PageRange {
  start: number;
  end: number;
  meta: { [key: string]: number | null };
}

/** `start` and `end` as `Array.prototype.slice` takes them, for a list of `count`. */
function sliceBounds(count: number, start: number, end: number): [number, number] {
  const clamp = (n: number) => {
    const i = Number.isNaN(n) ? 0 : Math.trunc(n);
    return i < 0 ? Math.max(count + i, 0) : Math.min(i, count);
  };
  return [clamp(start), Math.max(clamp(start), clamp(end))];
}

/**
 * One page of a listing of `count` entries, with its meta keys in `metaOrder` (the server's
 * order when learned).
 */
export function pageRange(count: number, paging: Paging, metaOrder?: readonly string[]): PageRange {
  let bounds: [number, number];
  let meta: { [key: string]: number | null };
  if (paging.style === 'offset') {
    const { offset, limit } = paging;
    bounds = sliceBounds(count, offset, offset + limit);
    meta = {
      count,
      next_offset: offset + limit < count ? offset + limit : null,
      previous_offset: offset > 0 ? Math.max(0, offset - limit) : null,
    };
  } else if (paging.style === 'page') {
    const { page, pageSize } = paging;
    const start = (page - 1) * pageSize;
    if (page > 1 && start >= count) throw notFound('Invalid page.');
    bounds = sliceBounds(count, start, start + pageSize);
    meta = {
      count,
      next_page: start + pageSize < count ? page + 1 : null,
      previous_page: page > 1 ? page - 1 : null,
    };
  } else {
    bounds = [0, count];
    meta = { count, next_page: null, previous_page: null };
  }
  return { start: bounds[0], end: bounds[1], meta: orderKeys(meta, metaOrder) };
}

/** One page of `all` (a copy), with its meta as `pageRange`. */
export function paginate<T>(
  all: readonly T[],
  paging: Paging,
  metaOrder?: readonly string[],
): Slice<T> {
  const { start, end, meta } = pageRange(all.length, paging, metaOrder);
  return { items: all.slice(start, end), meta };
}

export function orderKeys<T>(
  object: { [key: string]: T },
  order: readonly string[] | undefined,
): { [key: string]: T } {
  if (!order) return object;
  const out: { [key: string]: T } = {};
  const put = (key: string) => setOwn(out, key, object[key]!);
  for (const key of order) if (Object.hasOwn(object, key) && !Object.hasOwn(out, key)) put(key);
  for (const key of Object.keys(object)) if (!Object.hasOwn(out, key)) put(key);
  return out;
}

/** `fields.a.b=value` parameters, as `[['a','b'], 'value']`. */
export function fieldFilters(params: Record<string, string>): [string[], string][] {
  const out: [string[], string][] = [];
  for (const key of Object.keys(params)) {
    if (key.startsWith('fields.') && key.length > 7)
      out.push([key.slice(7).split('.'), params[key]!]);
  }
  return out;
}

function scalarText(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/**
 * Whether `root` matches `value` at `path`. Lists along the path match when any element does;
 * `follow` replaces a reference URI with the referenced entity so filters can reach through
 * references (`fields.hero.reference.title`).
 */
export function matchesPath(
  root: Json | undefined,
  path: readonly string[],
  value: string,
  follow: (uri: string) => JsonObject | undefined,
): boolean {
  let node: Json | undefined = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof node === 'string') node = follow(node) ?? node;
    if (Array.isArray(node)) {
      const rest = path.slice(i);
      return node.some((entry) => matchesPath(entry, rest, value, follow));
    }
    if (node === null || typeof node !== 'object') return false;
    const key = path[i]!;
    node = Object.hasOwn(node, key) ? node[key] : undefined;
    if (node === undefined) return false;
  }
  if (Array.isArray(node)) return node.some((entry) => scalarText(entry) === value);
  if (node !== null && typeof node === 'object' && typeof node.url === 'string') {
    return node.url === value;
  }
  return scalarText(node ?? null) === value;
}

/** Whether any entity has something at `path` (a filter or order on a field that exists). */
export function hasPath(entities: readonly JsonObject[], path: readonly string[]): boolean {
  return entities.some((entity) => {
    let node: Json | undefined = entity;
    for (const key of path) {
      if (!isObject(node)) return false;
      if (!Object.hasOwn(node, key)) return false;
      node = node[key];
    }
    return true;
  });
}

/** `order=name` / `order=-name`: the key path and direction. */
export function readOrder(
  params: Record<string, string>,
): { path: string[]; descending: boolean } | undefined {
  const order = param(params, 'order')?.trim();
  if (!order) return undefined;
  const descending = order.startsWith('-');
  const name = descending ? order.slice(1) : order;
  return { path: name.split('.'), descending };
}

function compare(a: Json | undefined, b: Json | undefined): number {
  const rank = (v: Json | undefined) => (v === null || v === undefined ? 1 : 0);
  if (rank(a) || rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function valueAt(root: Json | undefined, path: readonly string[]): Json | undefined {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node;
}

/** Stable sort by the value `key(entity)` returns; nulls last in both directions. */
export function sortBy<T>(
  entities: readonly T[],
  key: (entity: T) => Json | undefined,
  descending: boolean,
): T[] {
  return entities
    .map((entity, index) => ({ entity, index, value: key(entity) }))
    .sort((a, b) => {
      const nullsLast =
        (a.value === null || a.value === undefined ? 1 : 0) -
        (b.value === null || b.value === undefined ? 1 : 0);
      if (nullsLast !== 0) return nullsLast;
      const c = compare(a.value, b.value);
      return (descending ? -c : c) || a.index - b.index;
    })
    .map(({ entity }) => entity);
}
