/**
 * `content.retrieve(keys)`. The SDK requests the path form `/content/<keys joined by ,>/`. For
 * one key it carries `meta` and paginates (recorded); without pagination parameters every item
 * comes back (`next_page: null`). For several keys the reader answers as the API answers
 * `/content/?keys=a,b` (recorded): no `meta`, every item of each key, filtered and ordered alike.
 */

import type { JsonObject } from '../model/content.ts';
import { setOwn } from '../model/json.ts';
import { type Context, render, resolveLevels, resolveLocale, type Stored } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder, filtersOrOrders, readPage } from './filter.ts';
import { hasPath, type Paging, paginate, readPaging } from './query.ts';

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
  const listings = await ctx.source.locale(locale);
  const data: Record<string, JsonObject[]> = {};
  let meta: JsonObject | undefined;
  for (const key of keys) {
    const listing = listings.listing({ kind: 'item', key });
    if (!listing) {
      throw notFound(
        single ? 'Not found.' : `Content key ${key} not found`,
        `Collection ${key} is not in the snapshot; add it to \`collections\` and sync again.`,
      );
    }
    let page: { items: Stored[]; meta: JsonObject };
    if (filtersOrOrders(params)) {
      const all = await listing.readAt(listing.ids.map((_, i) => i));
      const selected = await filterAndOrder(ctx, all, listing, locale, params, {
        scope: (item) => item,
        topLevelOrder: [],
        check(path, what) {
          // The API answers 403 to a filter or order on a field the collection does not have.
          if (all.length > 0 && !hasPath(all, path.slice(0, 1))) {
            throw forbidden(`Invalid ${what} field: ${path.join('.')}`);
          }
        },
      });
      const { items, meta: pageMeta } = paginate(selected, paging);
      page = { items: items.map((value) => ({ listing, value })), meta: pageMeta };
    } else {
      page = await readPage(listing, paging);
    }
    meta ??= page.meta;
    setOwn(data, key, await render(ctx, page.items, locale, levels, params));
  }
  return single ? { meta, data } : { data };
}
