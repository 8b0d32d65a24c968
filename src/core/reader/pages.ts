/** `page.retrieve` and `page.list`. */
import type { JsonObject } from '../snapshot/model.ts';
import { type Context, render, resolveLevels, resolveLocale } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder, filtersOrOrders, readPage } from './filter.ts';
import { paginate, readPaging } from './query.ts';

const fieldsOf = (page: JsonObject) =>
  typeof page.fields === 'object' && page.fields !== null && !Array.isArray(page.fields)
    ? page.fields
    : undefined;

/** The page and the listing it is stored in. */
async function findPage(ctx: Context, locale: string | null, pageType: string, slug: string) {
  const lookup = async (type: string) => {
    const page = await ctx.source.entity({ kind: 'page', pageType: type, slug }, locale);
    return page && { page, listing: { kind: 'page' as const, pageType: type } };
  };
  if (pageType !== '*') return lookup(pageType);
  // `*` looks in every page type; the API answers 403 when the slug is not unique.
  const single = await lookup('*');
  if (single) return single;
  const index = await ctx.source.localeIndex(locale);
  const found: NonNullable<Awaited<ReturnType<typeof lookup>>>[] = [];
  for (const type of Object.keys(index.pageTypes)) {
    const page = await lookup(type);
    if (page) found.push(page);
  }
  if (found.length > 1) throw forbidden('Multiple pages found with this slug.');
  return found[0];
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
  if (!found) throw notFound('Page not found.');
  const [data] = await render(ctx, [{ entity: found.page, ...found }], locale, levels, params);
  return { data: data! };
}

export async function listPages(
  ctx: Context,
  pageType: string,
  params: Record<string, string>,
): Promise<{ meta: JsonObject; data: JsonObject[] }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  const listing = { kind: 'page' as const, pageType };
  const slugs = await ctx.source.listing(listing, locale);
  if (!slugs)
    throw notFound(
      'Not found.',
      `Page type ${pageType} is not in the snapshot; add it to \`pageTypes\` and sync again.`,
    );
  const lists = await ctx.lists();
  const paging = readPaging(params, lists.pageListDefaultSize);
  // Filters and order are documented for page types only, not for single pages (`*`); without
  // them a page is a slice of the listing's slugs, and only its pages are read.
  const selected =
    pageType === '*' || !filtersOrOrders(params)
      ? undefined
      : await filterAndOrder(
          ctx,
          await ctx.source.entities(listing, locale, slugs),
          locale,
          params,
          {
            scope: fieldsOf,
            kind: 'page',
            topLevelOrder: ['published', 'updated'],
          },
        );
  const { items, meta } = selected
    ? paginate(selected, paging, lists.pageListMetaKeys)
    : await readPage(ctx, listing, locale, slugs, paging, lists.pageListMetaKeys);
  const data = await render(
    ctx,
    items.map((entity) => ({ entity, listing })),
    locale,
    levels,
    params,
  );
  return { meta, data };
}
