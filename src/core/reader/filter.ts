/**
 * `fields.*` filters and `order` over a listing, after reading the entities filters reach
 * through references (`fields.hero.reference.title`).
 */
import type { JsonObject } from '../model/content.ts';
import type { Cell } from '../snapshot/store.ts';
import { type Context, loadReferenced, type Stored } from './context.ts';
import {
  fieldFilters,
  matchesPath,
  type Paging,
  pageRange,
  readOrder,
  sortBy,
  valueAt,
} from './query.ts';
import type { Listing } from './source.ts';

export interface FilterOptions {
  /** Where field paths start: a page's `fields`, or an item itself. */
  scope: (entity: JsonObject) => JsonObject | undefined;
  /** Order keys read from the entity itself rather than its fields (`published`, `updated`). */
  topLevelOrder: readonly string[];
  /** Called with each filter/order path before use (throws to reject it). */
  check?: (path: string[], what: 'filter' | 'order') => void;
}

export async function filterAndOrder(
  ctx: Context,
  all: JsonObject[],
  listing: Listing,
  locale: string | null,
  params: Record<string, string>,
  options: FilterOptions,
): Promise<JsonObject[]> {
  const filters = fieldFilters(params);
  const order = readOrder(params);
  for (const [path] of filters) options.check?.(path, 'filter');
  if (order && !options.topLevelOrder.includes(order.path.join('.'))) {
    options.check?.(order.path, 'order');
  }
  const hops = Math.max(0, ...filters.map(([path]) => path.length - 1));
  const roots = all.map((value) => ({ listing, value }));
  const referenced = await loadReferenced(ctx, roots, locale, hops);
  const follow = (uri: string) => {
    const found = referenced.get(uri);
    if (!found) return undefined;
    const { listing: target, value } = found;
    return target.kind === 'page' ? (value.fields as JsonObject | undefined) : value;
  };
  let out = all.filter((entity) =>
    filters.every(([path, value]) => matchesPath(options.scope(entity), path, value, follow)),
  );
  if (order) {
    const topLevel = options.topLevelOrder.includes(order.path.join('.'));
    out = sortBy(
      out,
      (entity) =>
        topLevel ? valueAt(entity, order.path) : valueAt(options.scope(entity), order.path),
      order.descending,
    );
  }
  return out;
}

/** Whether a request filters (`fields.*`) or orders a listing. */
export function filtersOrOrders(params: Record<string, string>): boolean {
  return fieldFilters(params).length > 0 || readOrder(params) !== undefined;
}

/** One page of a listing in listing order: only its entities read. */
export async function readPage(
  listing: Listing,
  paging: Paging,
  metaOrder?: readonly string[],
): Promise<{ items: Stored[]; meta: JsonObject }> {
  const { start, end, meta } = pageRange(listing.ids.length, paging, metaOrder);
  const cells: Cell[] = [];
  for (let i = start; i < end; i++) cells.push(listing.cellAt(i));
  const values = await listing.read(cells);
  return { items: values.map((value, i) => ({ listing, cell: cells[i], value })), meta };
}
