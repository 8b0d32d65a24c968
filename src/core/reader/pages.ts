/** `page.retrieve` and `page.list`. */
import type { JsonObject } from '../snapshot/model.ts';
import { type Context, render, resolveLevels, resolveLocale } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder } from './filter.ts';
import { paginate, readPaging } from './query.ts';

const fieldsOf = (page: JsonObject) =>
  typeof page.fields === 'object' && page.fields !== null && !Array.isArray(page.fields)
    ? page.fields
    : undefined;

async function findPage(ctx: Context, locale: string | null, pageType: string, slug: string) {
  if (pageType !== '*') {
    return ctx.source.entity({ kind: 'page', pageType, slug }, locale);
  }
  // `*` looks in every page type; the API answers 403 when the slug is not unique.
  const single = await ctx.source.entity({ kind: 'page', pageType: '*', slug }, locale);
  if (single) return single;
  const index = await ctx.source.localeIndex(locale);
  const found: JsonObject[] = [];
  for (const type of Object.keys(index.pageTypes)) {
    const page = await ctx.source.entity({ kind: 'page', pageType: type, slug }, locale);
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
  const page = await findPage(ctx, locale, pageType, slug);
  if (!page) throw notFound('Page not found.');
  const [data] = await render(ctx, [{ entity: page, kind: 'page' }], locale, levels, params);
  return { data: data! };
}

export async function listPages(
  ctx: Context,
  pageType: string,
  params: Record<string, string>,
): Promise<{ meta: JsonObject; data: JsonObject[] }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  const all = await ctx.source.pages(locale, pageType);
  if (!all)
    throw notFound(
      'Not found.',
      `Page type ${pageType} is not in the snapshot; add it to \`pageTypes\` and sync again.`,
    );
  // Filters and order are documented for page types only, not for single pages (`*`).
  const selected =
    pageType === '*'
      ? all
      : await filterAndOrder(ctx, all, locale, params, {
          scope: fieldsOf,
          kind: 'page',
          topLevelOrder: ['published', 'updated'],
        });
  const lists = await ctx.lists();
  const { items, meta } = paginate(
    selected,
    readPaging(params, lists.pageListDefaultSize),
    lists.pageListMetaKeys,
  );
  const data = await render(
    ctx,
    items.map((entity) => ({ entity, kind: 'page' as const })),
    locale,
    levels,
    params,
  );
  return { meta, data };
}
