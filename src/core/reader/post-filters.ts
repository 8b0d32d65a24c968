/**
 * `post.list`'s filters (`author_slug`, `category_slug`, `tag_slug`) from an index built once
 * per snapshot, the first time a filter is asked: every post read once (a chunk file at a time,
 * outside the cache), and for each slug the positions of its posts in the listing. A filtered
 * list then costs the lookup and its page.
 */

import type { Json } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { snapshotError } from '../snapshot/chunked.ts';
import { blogFolders, escapeName } from '../snapshot/names.ts';
import type { Context } from './context.ts';

/** The filters, by parameter. */
export const POST_FILTERS = ['author_slug', 'category_slug', 'tag_slug'] as const;
type PostFilter = (typeof POST_FILTERS)[number];

/** Positions of the posts (in listing order) under each slug, per filter. */
type PostIndex = Record<PostFilter, Map<string, number[]>>;

/** The slugs a post is filed under: its author's, and those of its categories and tags. */
function slugsOf(post: Json): Record<PostFilter, string[]> {
  const listed = (list: Json | undefined) =>
    Array.isArray(list)
      ? [
          ...new Set(
            list.flatMap((e) => (isObject(e) && typeof e.slug === 'string' ? [e.slug] : [])),
          ),
        ]
      : [];
  if (!isObject(post)) return { author_slug: [], category_slug: [], tag_slug: [] };
  const author = isObject(post.author) ? post.author.slug : undefined;
  return {
    author_slug: typeof author === 'string' ? [author] : [],
    category_slug: listed(post.categories),
    tag_slug: listed(post.tags),
  };
}

const built = new WeakMap<Context, Promise<PostIndex>>();

function postIndex(ctx: Context): Promise<PostIndex> {
  let index = built.get(ctx);
  if (!index) {
    index = (async () => {
      const store = await ctx.source.store();
      const listing = (await ctx.source.blog()).of('posts');
      const byName = new Map<string, Record<PostFilter, string[]>>();
      await store.scanFolder(blogFolders.posts, (name, post) =>
        byName.set(name, slugsOf(post as Json)),
      );
      const out: PostIndex = {
        author_slug: new Map(),
        category_slug: new Map(),
        tag_slug: new Map(),
      };
      listing.ids.forEach((slug, position) => {
        const name = escapeName(String(slug));
        const slugs = byName.get(name);
        if (!slugs) {
          throw snapshotError(
            `${blogFolders.posts}/${name}.json is missing from the snapshot in ${store.location}`,
          );
        }
        for (const filter of POST_FILTERS) {
          for (const value of slugs[filter]) {
            const positions = out[filter].get(value);
            if (positions) positions.push(position);
            else out[filter].set(value, [position]);
          }
        }
      });
      return out;
    })();
    built.set(ctx, index);
    index.catch(() => built.delete(ctx));
  }
  return index;
}

/** Positions (ascending) of the posts every asked filter keeps. */
export async function filteredPosts(
  ctx: Context,
  asked: readonly { name: PostFilter; slug: string }[],
): Promise<number[]> {
  const index = await postIndex(ctx);
  const lists = asked
    .map(({ name, slug }) => index[name].get(slug) ?? [])
    .sort((a, b) => a.length - b.length);
  const [shortest, ...others] = lists;
  const sets = others.map((list) => new Set(list));
  return shortest!.filter((position) => sets.every((set) => set.has(position)));
}
