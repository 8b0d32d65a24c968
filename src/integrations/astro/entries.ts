/** The entries of one loader, read through the local reader (pure over the reader). */
import { followPages } from '../../core/model/listing.ts';
import type { LocalButter } from '../../core/reader/index.ts';
import type { LoaderTarget } from './schema.ts';

export interface Entry {
  id: string;
  data: Record<string, unknown>;
}

type Params = { locale?: string; levels?: number };

function readParams(target: Params): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (target.locale !== undefined) params.locale = target.locale;
  if (target.levels !== undefined) params.levels = target.levels;
  return params;
}

interface Listed {
  data: { meta?: { next_page?: number | null }; data: unknown };
}

/** Every page of a paginated listing. */
async function allPages(
  list: (page: number) => Promise<Listed>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  await followPages(await list(1), list, ({ data }) => {
    out.push(...(data.data as Record<string, unknown>[]));
    return data.meta?.next_page || undefined;
  });
  return out;
}

export async function listEntries(
  butter: LocalButter,
  target: LoaderTarget & Params,
): Promise<Entry[]> {
  const params = readParams(target);
  const bySlug = (list: Record<string, unknown>[]) =>
    list.map((data) => ({ id: String(data.slug), data }));
  if ('pageType' in target) {
    return bySlug(
      await allPages(
        (page) =>
          butter.page.list(target.pageType, { ...params, page, page_size: 100 }) as Promise<Listed>,
      ),
    );
  }
  if ('singlePage' in target) {
    const { data } = await butter.page.retrieve('*', target.singlePage, params);
    return bySlug([data.data as unknown as Record<string, unknown>]);
  }
  if ('collection' in target) {
    const { data } = await butter.content.retrieve([target.collection], params);
    const items = (data.data as Record<string, Record<string, unknown>[]>)[target.collection] ?? [];
    return items.map((data) => ({ id: String((data.meta as { id: number }).id), data }));
  }
  return bySlug(
    await allPages((page) => butter.post.list({ page, page_size: 100 }) as Promise<Listed>),
  );
}
