/**
 * The cheap check of a page type's listing in one locale: its most recently updated page and
 * the count (`order=-updated`, documented for page types; one one-item request). An edit or an
 * addition moves the newest `updated` past the snapshot's; a deletion, an unpublished page or a
 * scheduled one going live moves the count. Anything the check cannot read proves nothing: the
 * listing is fetched again.
 */

import { apiPath } from '../../model/api-paths.ts';
import type { EntityList, JsonObject } from '../../model/content.ts';
import { dataList, metaCount } from '../../model/listing.ts';
import type { QueryParams } from '../api.ts';
import { isNotFound } from '../failures.ts';
import { contentParams, type ListingContext } from '../listings.ts';

/**
 * What the check shows of a page type's listing against `held` (`undefined`: the snapshot has
 * none): `unchanged`, `changed` (it may differ), or `grown` (it holds more pages than the
 * snapshot: some came, which can make references appear elsewhere, see `referrers.ts`).
 */
export type PageTypeCheck = 'unchanged' | 'changed' | 'grown';

export async function checkPageType(
  ctx: ListingContext,
  pageType: string,
  locale: string | null,
  held: EntityList | undefined,
): Promise<PageTypeCheck> {
  if (!held) return 'changed';
  const params: QueryParams = {
    ...contentParams(ctx, locale),
    page: 1,
    page_size: 1,
    order: '-updated',
  };
  let body: JsonObject;
  try {
    body = await ctx.api.get(apiPath.pages(pageType), params, {
      signal: ctx.signal,
    });
  } catch (error) {
    // A 404 (the page type is gone) or a locale refused: the listing's own fetch tells.
    if (isNotFound(error)) return 'changed';
    if ((error as { code?: unknown }).code === 'BAD_REQUEST') return 'changed';
    throw error;
  }
  const count = metaCount(body);
  if (count !== undefined && count > held.length) return 'grown';
  if (count !== held.length) return 'changed';
  const newest = dataList(body)[0];
  if (held.length === 0) return newest === undefined ? 'unchanged' : 'changed';
  const latest = latestUpdates(held);
  return latest && newest && latest.has(String(newest.updated)) ? 'unchanged' : 'changed';
}

/**
 * The `updated` values of the most recently updated pages, as served (microseconds compare
 * too); `undefined` when a page has none that parses.
 */
function latestUpdates(pages: EntityList): Set<string> | undefined {
  let newest = Number.NEGATIVE_INFINITY;
  let values = new Set<string>();
  for (const page of pages) {
    const value = String(page.updated);
    const time = Date.parse(value);
    if (Number.isNaN(time)) return undefined;
    if (time > newest) [newest, values] = [time, new Set()];
    if (time === newest) values.add(value);
  }
  return values;
}
