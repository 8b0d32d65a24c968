/**
 * `fields.*` filters and `order` over a listing, after reading the entities filters reach
 * through references (`fields.hero.reference.title`).
 */
import type { EntityRef, JsonObject } from '../snapshot/model.ts';
import { parseRef } from '../sync/refs.ts';
import type { Context } from './context.ts';
import { refsOf } from './expand.ts';
import { fieldFilters, matchesPath, readOrder, sortBy, valueAt } from './query.ts';

export interface FilterOptions {
  /** Where field paths start: a page's `fields`, or an item itself. */
  scope: (entity: JsonObject) => JsonObject | undefined;
  kind: EntityRef['kind'];
  /** Order keys read from the entity itself rather than its fields (`published`, `updated`). */
  topLevelOrder: readonly string[];
  /** Called with each filter/order path before use (throws to reject it). */
  check?: (path: string[], what: 'filter' | 'order') => void;
}

async function loadThrough(
  ctx: Context,
  entities: JsonObject[],
  kind: EntityRef['kind'],
  locale: string | null,
  hops: number,
): Promise<void> {
  let frontier = entities.map((entity) => ({ entity, kind }));
  for (let i = 0; i < hops && frontier.length > 0; i++) {
    const uris = new Set(frontier.flatMap((r) => refsOf(r.entity, r.kind)));
    const next: typeof frontier = [];
    await Promise.all(
      [...uris].map(async (uri) => {
        const ref = parseRef(uri);
        const entity = ref ? await ctx.source.entity(ref, locale) : undefined;
        if (ref && entity) next.push({ entity, kind: ref.kind });
      }),
    );
    frontier = next;
  }
}

export async function filterAndOrder(
  ctx: Context,
  all: JsonObject[],
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
  if (hops > 0) await loadThrough(ctx, all, options.kind, locale, hops);
  const follow = (uri: string) => {
    const ref = parseRef(uri);
    const entity = ref ? ctx.source.cached(ref, locale) : undefined;
    if (!ref || !entity) return undefined;
    return ref.kind === 'page' ? (entity.fields as JsonObject | undefined) : entity;
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
