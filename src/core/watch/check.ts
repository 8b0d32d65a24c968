/**
 * Cheap change checks for watch mode, sound for pages and collection items: a few requests whose
 * answers change whenever that content does, reduced to one fingerprint per part. A part whose
 * fingerprint moved names what changed.
 *
 * - A page type: its most recently updated page and the count (`order=-updated`, documented for
 *   page types): an edit moves `updated`, a deletion the count. One request.
 * - Single pages and collections: every entity (single pages cannot be ordered — `order` is
 *   documented for page types only — and collection items have no `updated`), one request per
 *   `pageSize` entities.
 * - The blog: the 10 newest posts (slug, `updated`, status) and the count.
 *
 * What polling cannot see (webhooks can): an edit to a post other than the 10 newest by
 * publication date (posts cannot be ordered by `updated`), and an edit to an author, a category
 * or a tag.
 */
import { createHash } from 'node:crypto';
import type { ButterClient } from '../client/index.ts';
import { isObject } from '../json.ts';
import type { SnapshotOptions } from '../options.ts';
import type { LocaleIndex } from '../snapshot/index.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { collectionItems, dataList } from '../sync/api.ts';

export type Fingerprint = Map<string, string>;

export interface CheckScope {
  locales: (string | null)[];
  pageTypes: string[];
  collections: string[];
}

/** What to check: the configured page types and collections plus those the snapshot holds. */
export function scopeOf(options: SnapshotOptions, index: LocaleIndex | undefined): CheckScope {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    locales: options.locales.length > 0 ? options.locales : [null],
    pageTypes: union(options.pageTypes, Object.keys(index?.pageTypes ?? {})),
    collections: union(options.collections, Object.keys(index?.collections ?? {})),
  };
}

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

function firstOf(body: JsonObject): unknown {
  const data = body.data;
  const first = Array.isArray(data) ? data[0] : undefined;
  const meta = body.meta as JsonObject | undefined;
  const pick = isObject(first) ? first : {};
  return [meta?.count ?? null, pick.slug ?? null, pick.updated ?? null];
}

/** One request per part (a listing read whole: one per page); parts that fail are left out (and reported). */
export async function fingerprint(
  client: ButterClient,
  options: SnapshotOptions,
  scope: CheckScope,
  signal?: AbortSignal,
): Promise<{ fingerprint: Fingerprint; failures: string[] }> {
  const common: Record<string, string | number> = { levels: 1 };
  if (options.preview) common.preview = 1;
  const tasks: [string, () => Promise<unknown>][] = [];
  /** Every entity of a listing, all its pages. */
  const all = async (path: string, params: Record<string, string | number>, key?: string) => {
    const extract = key === undefined ? dataList : (body: JsonObject) => collectionItems(body, key);
    const listed = await client.listAll(path, params, {
      pageSize: options.pageSize,
      extract,
      ...(signal ? { signal } : {}),
    });
    return listed.items;
  };
  for (const locale of scope.locales) {
    const params = locale === null ? { ...common } : { ...common, locale };
    const suffix = locale === null ? '' : `@${locale}`;
    tasks.push([
      `pages/*${suffix}`,
      async () => digest((await all('/pages/*/', params)).map((p) => [p.slug, p.updated])),
    ]);
    for (const type of scope.pageTypes) {
      tasks.push([
        `pages/${type}${suffix}`,
        async () =>
          firstOf(
            await client.get(
              `/pages/${encodeURIComponent(type)}/`,
              { ...params, page: 1, page_size: 1, order: '-updated' },
              { signal },
            ),
          ),
      ]);
    }
    for (const key of scope.collections) {
      tasks.push([
        `content/${key}${suffix}`,
        async () => digest(await all(`/content/${encodeURIComponent(key)}/`, params, key)),
      ]);
    }
  }
  tasks.push([
    'posts',
    async () => {
      const body = await client.get(
        '/posts/',
        {
          page: 1,
          page_size: 10,
          exclude_body: 'true',
          ...(options.preview ? { preview: 1 } : {}),
        },
        { signal },
      );
      const posts = Array.isArray(body.data) ? body.data : [];
      return digest([
        (body.meta as JsonObject | undefined)?.count ?? null,
        posts.map((p) => (isObject(p) ? [p.slug, p.updated, p.status] : p)),
      ]);
    },
  ]);

  const result: Fingerprint = new Map();
  const failures: string[] = [];
  await Promise.all(
    tasks.map(async ([part, run]) => {
      try {
        result.set(part, JSON.stringify(await run()));
      } catch (error) {
        failures.push(`${part}: ${(error as Error).message.split('\n')[0]}`);
      }
    }),
  );
  return { fingerprint: result, failures };
}

/** Parts present in both whose values differ, plus parts that appeared or vanished. */
export function changedParts(before: Fingerprint, after: Fingerprint): string[] {
  const parts = new Set([...before.keys(), ...after.keys()]);
  return [...parts]
    .filter((p) => before.has(p) && after.has(p) && before.get(p) !== after.get(p))
    .sort();
}
