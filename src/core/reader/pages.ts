/** `page.retrieve` and `page.list`. */

import type { JsonObject } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { type Context, render, resolveLevels, resolveLocale, type Stored } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder, filtersOrOrders, readPage } from './filter.ts';
import { paginate, readPaging } from './query.ts';

const fieldsOf = (page: JsonObject) => (isObject(page.fields) ? page.fields : undefined);

/** The page and the listing it is stored in. */
async function findPage(
  ctx: Context,
  locale: string | null,
  pageType: string,
  slug: string,
): Promise<Stored | undefined> {
  const listings = await ctx.source.locale(locale);
  const lookup = async (type: string): Promise<Stored | undefined> => {
    const listing = listings.listing({ kind: 'page', pageType: type });
    const cell = listing?.find(slug);
    if (!cell) return undefined;
    const [value] = await listing!.read([cell]);
    return { listing: listing!, cell, value: value! };
  };
  if (pageType !== '*') return lookup(pageType);
  // `*` looks in every page type; the API answers 403 when the slug is not unique.
  const single = await lookup('*');
  if (single) return single;
  const found: Stored[] = [];
  for (const type of Object.keys(listings.index.pageTypes)) {
    const page = await lookup(type);
    if (page) found.push(page);
  }
  if (found.length > 1) throw forbidden('Multiple pages found with this slug.');
  return found[0];
}

/** The hint for a page type the snapshot does not hold. */
const notSynced = (pageType: string) =>
  `Page type ${pageType} is not in the snapshot; add it to \`pageTypes\` and sync again.`;

/** Why a page is not found: its page type is not in the snapshot, or no page has its slug. */
async function missingPageHint(
  ctx: Context,
  locale: string | null,
  pageType: string,
  slug: string,
): Promise<string> {
  const listings = await ctx.source.locale(locale);
  if (pageType !== '*' && !listings.listing({ kind: 'page', pageType })) {
    return notSynced(pageType);
  }
  const where =
    pageType === '*' ? 'single page or page of any page type' : `page of page type ${pageType}`;
  return `No ${where} has the slug ${slug}${locale ? ` in locale ${locale}` : ''}: check the slug, or sync again if the page was published since.`;
}

export async function retrievePage(
  ctx: Context,
  pageType: string,
  slug: string,
  params: Record<string, string>,
): Promise<{ data: JsonObject }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  const found = await findPage(ctx, locale, pageType, slug);
  if (!found) throw notFound('Page not found.', await missingPageHint(ctx, locale, pageType, slug));
  const [data] = await render(ctx, [found], locale, levels, params);
  return { data: data! };
}

export async function listPages(
  ctx: Context,
  pageType: string,
  params: Record<string, string>,
): Promise<{ meta: JsonObject; data: JsonObject[] }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  const listing = (await ctx.source.locale(locale)).listing({ kind: 'page', pageType });
  if (!listing) throw notFound('Not found.', notSynced(pageType));
  const lists = await ctx.lists();
  const paging = readPaging(params, lists.pageListDefaultSize);
  // Filters and order are documented for page types only, not for single pages (`*`); without
  // them a page is a slice of the listing, and only its pages are read.
  let page: { items: Stored[]; meta: JsonObject };
  if (pageType !== '*' && filtersOrOrders(params)) {
    const all = await listing.readAt(listing.ids.map((_, i) => i));
    const selected = await filterAndOrder(ctx, all, listing, locale, params, {
      scope: fieldsOf,
      topLevelOrder: ['published', 'updated'],
    });
    const { items, meta } = paginate(selected, paging, lists.pageListMetaKeys);
    page = { items: items.map((value) => ({ listing, value })), meta };
  } else {
    page = await readPage(listing, paging, lists.pageListMetaKeys);
  }
  return { meta: page.meta, data: await render(ctx, page.items, locale, levels, params) };
}
