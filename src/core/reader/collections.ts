/**
 * `content.retrieve(keys)`. The SDK requests the path form `/content/<keys joined by ,>/`, which
 * carries `meta` (recorded for one key). For several keys the docs say nothing: each list is
 * filtered, ordered and paginated alike, and `meta.count` is the total over the keys (its
 * `next_*`/`previous_*` are set when any key has more). Without pagination parameters every
 * item comes back (`next_page: null`).
 */

import { setOwn } from '../json.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { type Context, render, resolveLevels, resolveLocale } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { filterAndOrder } from './filter.ts';
import { hasPath, paginate, readPaging } from './query.ts';

export function collectionKeys(keys: string | readonly string[]): string[] {
  const list =
    typeof keys === 'string' ? keys.split(',') : keys.flatMap((k) => String(k).split(','));
  return list.map((k) => k.trim()).filter((k) => k !== '');
}

export async function retrieveContent(
  ctx: Context,
  keys: string[],
  params: Record<string, string>,
): Promise<{ meta: JsonObject; data: Record<string, JsonObject[]> }> {
  const locale = await resolveLocale(ctx, params);
  const levels = await resolveLevels(ctx, params);
  if (keys.length === 0) throw notFound('Not found.');
  const data: Record<string, JsonObject[]> = {};
  const metas: JsonObject[] = [];
  for (const key of keys) {
    const all = await ctx.source.items(locale, key);
    if (!all) {
      throw notFound(
        keys.length === 1 ? 'Not found.' : `Content key ${key} not found`,
        `Collection ${key} is not in the snapshot; add it to \`collections\` and sync again.`,
      );
    }
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
    const page = paginate(selected, readPaging(params, null));
    metas.push(page.meta);
    const rendered = await render(
      ctx,
      page.items.map((entity) => ({ entity, listing: { kind: 'item' as const, key } })),
      locale,
      levels,
      params,
    );
    setOwn(data, key, rendered);
  }
  return { meta: keys.length === 1 ? metas[0]! : combineMeta(metas), data };
}

/** One `meta` for several keys: counts summed, a next/previous link when any key has one. */
function combineMeta(metas: JsonObject[]): JsonObject {
  const out: JsonObject = {};
  for (const meta of metas) {
    for (const key of Object.keys(meta)) {
      const value = meta[key]!;
      const prev = Object.hasOwn(out, key) ? out[key]! : null;
      out[key] =
        key === 'count' ? ((prev as number | null) ?? 0) + (value as number) : (prev ?? value);
    }
  }
  return out;
}
