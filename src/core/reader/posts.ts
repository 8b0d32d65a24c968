/** `post.list`, `post.retrieve`, and authors, categories and tags (`include=recent_posts`). */

import type { Json, JsonObject } from '../model/content.ts';
import { setOwn } from '../model/json.ts';
import { type Context, keepsMedia } from './context.ts';
import { notFound } from './errors.ts';
import { filteredPosts, POST_FILTERS } from './post-filters.ts';
import { isTrue, orderKeys, pageRange, param, readPaging } from './query.ts';
import { freshCopy, shapedPost } from './render.ts';
import type { BlogKind } from './source.ts';

/** Posts per page when neither `page_size` nor `limit` is given (documented default). */
export const POST_PAGE_SIZE = 10;

/** An answer built from stored values, served as a fresh copy with media as asked. */
const served = <T extends Json>(params: Record<string, string>, value: T) =>
  freshCopy(value, !keepsMedia(params)) as T;

export async function listPosts(ctx: Context, params: Record<string, string>) {
  const lists = await ctx.lists();
  const paging = readPaging(params, POST_PAGE_SIZE);
  const listing = (await ctx.source.blog()).of('posts');
  const asked = POST_FILTERS.flatMap((name) => {
    const slug = param(params, name);
    return slug ? [{ name, slug }] : [];
  });
  // A filter looks the posts up in an index built once; either way only the page is read.
  const positions = asked.length > 0 ? await filteredPosts(ctx, asked) : undefined;
  const { start, end, meta } = pageRange(
    positions?.length ?? listing.ids.length,
    paging,
    lists.pageListMetaKeys,
  );
  const at: number[] = [];
  for (let i = start; i < end; i++) at.push(positions ? positions[i]! : i);
  const posts = await listing.readAt(at);
  const excludeBody = isTrue(param(params, 'exclude_body'));
  const data = posts.map((post) => {
    if (!excludeBody) return post;
    const { body: _body, ...rest } = post;
    return rest;
  });
  return { meta, data: served(params, data) };
}

export async function retrievePost(ctx: Context, slug: string, params: Record<string, string>) {
  const listing = (await ctx.source.blog()).of('posts');
  const position = listing.position(slug);
  if (position === undefined) {
    throw notFound(
      'Not found.',
      `No post has the slug ${slug}: check the slug, or sync again if the post was published since.`,
    );
  }
  const near = [position - 1, position, position + 1].filter(
    (i) => i >= 0 && i < listing.ids.length,
  );
  const [read, profile] = await Promise.all([listing.readAt(near), ctx.posts()]);
  const at = (i: number) => read[near.indexOf(i)];
  const neighbour = (p: JsonObject | undefined): Json => {
    if (!p) return null;
    const out: JsonObject = {};
    for (const key of profile.neighbourKeys) {
      const value = Object.hasOwn(p, key) ? p[key]! : null;
      setOwn(out, key, value);
    }
    return out;
  };
  const newer = at(position - 1);
  const older = at(position + 1);
  const next = profile.nextPost === 'newer' ? newer : older;
  const previous = profile.nextPost === 'newer' ? older : newer;
  const meta = orderKeys<Json>(
    { next_post: neighbour(next), previous_post: neighbour(previous) },
    profile.detailMetaKeys,
  );
  return {
    meta: served(params, meta),
    data: shapedPost(at(position)!, profile.detail, !keepsMedia(params)) as JsonObject,
  };
}

export type TaxonomyKind = Exclude<BlogKind, 'posts'>;

async function withRecentPosts(
  ctx: Context,
  kind: TaxonomyKind,
  entity: JsonObject,
  params: Record<string, string>,
): Promise<JsonObject> {
  if (param(params, 'include') !== 'recent_posts') return served(params, entity);
  const blog = await ctx.source.blog();
  const map = blog.index.recentPosts[kind];
  const slugs =
    typeof entity.slug === 'string' && Object.hasOwn(map, entity.slug) ? map[entity.slug]! : [];
  const profile = await ctx.posts();
  const posts = blog.of('posts');
  const listed = slugs.flatMap((slug) => posts.position(slug) ?? []);
  const recent = await posts.readAt(listed);
  // Copied with the key in its place (as `{ ...entity, recent_posts }` puts it), then filled.
  const out = served(params, { ...entity, recent_posts: [] }) as JsonObject;
  out.recent_posts = recent.map((post) => shapedPost(post, profile.recent, !keepsMedia(params)));
  return out;
}

export async function listTaxonomy(
  ctx: Context,
  kind: TaxonomyKind,
  params: Record<string, string>,
) {
  const listing = (await ctx.source.blog()).of(kind);
  const entities = await listing.readAt(listing.ids.map((_, i) => i));
  return { data: await Promise.all(entities.map((e) => withRecentPosts(ctx, kind, e, params))) };
}

export async function retrieveTaxonomy(
  ctx: Context,
  kind: TaxonomyKind,
  slug: string,
  params: Record<string, string>,
) {
  const listing = (await ctx.source.blog()).of(kind);
  const cell = listing.find(slug);
  if (!cell) throw notFound('Not found.');
  const [entity] = await listing.read([cell]);
  return { data: await withRecentPosts(ctx, kind, entity!, params) };
}
