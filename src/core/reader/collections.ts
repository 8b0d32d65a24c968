/**
 * `content.retrieve(keys)`. The SDK requests the path form `/content/<keys joined by ,>/`. For
 * one key it carries `meta` and paginates (recorded); without pagination parameters every item
 * comes back (`next_page: null`). For several keys the reader answers as the API answers
 * `/content/?keys=a,b` (recorded): no `meta`, every item of each key, filtered and ordered alike.
 */

import { setOwn } from '../json.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { type Context, render, resolveLevels, resolveLocale } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder, filtersOrOrders, readPage } from './filter.ts';
import { hasPath, type Paging, paginate, readPaging, type Slice } from './query.ts';

export function collectionKeys(keys: string | readonly string[]): string[] {
  const list =
    typeof keys === 'string' ? keys.split(',') : keys.flatMap((k) => String(k).split(','));
  return list.map((k) => k.trim()).filter((k) => k !== '');
}

export async function retrieveContent(
  ctx: Context,
  keys: string[],
  params: Record<string, string>,
): Promise<{ meta?: JsonObject; data: Record<string, JsonObject[]> }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  if (keys.length === 0) throw notFound('Not found.');
  const single = keys.length === 1;
  const paging: Paging = single ? readPaging(params, null) : { style: 'none' };
  const data: Record<string, JsonObject[]> = {};
  let meta: JsonObject | undefined;
  for (const key of keys) {
    const listing = { kind: 'item' as const, key };
    const ids = await ctx.source.listing(listing, locale);
    if (!ids) {
      throw notFound(
        single ? 'Not found.' : `Content key ${key} not found`,
        `Collection ${key} is not in the snapshot; add it to \`collections\` and sync again.`,
      );
    }
    let page: Slice<JsonObject>;
    if (filtersOrOrders(params)) {
      const all = await ctx.source.entities(listing, locale, ids);
      const selected = await filterAndOrder(ctx, all, locale, params, {
        scope: (item) => item,
        kind: 'item',
        topLevelOrder: [],
        check(path, what) {
          // The API answers 403 to a filter or order on a field the collection does not have.
          if (all.length > 0 && !hasPath(all, path.slice(0, 1))) {
            throw forbidden(`Invalid ${what} field: ${path.join('.')}`);
          }
        },
      });
      page = paginate(selected, paging);
    } else {
      page = await readPage(ctx, listing, locale, ids, paging);
    }
    meta ??= page.meta;
    const rendered = await render(
      ctx,
      page.items.map((entity) => ({ entity, listing })),
      locale,
      levels,
      params,
    );
    setOwn(data, key, rendered);
  }
  return single ? { meta, data } : { data };
}
