/** `post.list`, `post.retrieve`, and authors, categories and tags (`include=recent_posts`). */

import { isObject, setOwn } from '../json.ts';
import type { Json, JsonObject } from '../snapshot/model.ts';
import { type Context, mediaFor } from './context.ts';
import { notFound } from './errors.ts';
import type { PostShape } from './profile.ts';
import { isTrue, orderKeys, paginate, param, readPaging } from './query.ts';

/** Posts per page when neither `page_size` nor `limit` is given (documented default). */
export const POST_PAGE_SIZE = 10;

function reorder(value: Json, order: string[] | undefined): Json {
  if (!order) return value;
  if (isObject(value)) return orderKeys(value, order);
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? orderKeys(v, order) : v));
  return value;
}

/** A post in list shape, rewritten into a learned shape (detail, recent post). */
export function shapePost(post: JsonObject, shape: PostShape): JsonObject {
  const out: JsonObject = {};
  const put = (key: string, value: Json) => setOwn(out, key, value);
  for (const key of shape.order ?? Object.keys(post)) {
    if (Object.hasOwn(shape.constants, key)) put(key, shape.constants[key]!);
    else if (Object.hasOwn(post, key)) put(key, reorder(post[key]!, shape.nested[key]));
  }
  for (const key of Object.keys(post)) {
    if (!Object.hasOwn(out, key)) put(key, reorder(post[key]!, shape.nested[key]));
  }
  return out;
}

const slugIn = (list: Json | undefined, slug: string) =>
  Array.isArray(list) && list.some((e) => isObject(e) && e.slug === slug);

/** Which of `post.list`'s filters a request asks for: parameter → test of a post. */
const POST_FILTERS = {
  author_slug: (post: JsonObject, slug: string) =>
    isObject(post.author) && post.author.slug === slug,
  category_slug: (post: JsonObject, slug: string) => slugIn(post.categories, slug),
  tag_slug: (post: JsonObject, slug: string) => slugIn(post.tags, slug),
};

export async function listPosts(ctx: Context, params: Record<string, string>) {
  const lists = await ctx.lists();
  const paging = readPaging(params, POST_PAGE_SIZE);
  const filters = Object.entries(POST_FILTERS).flatMap(([name, test]) => {
    const slug = param(params, name);
    return slug ? [(post: JsonObject) => test(post, slug)] : [];
  });
  let slugs: readonly string[] = (await ctx.source.blogIndex()).posts;
  if (filters.length > 0) {
    // A filter reads every post once per call; without one, a page reads its posts only.
    const posts = await ctx.source.blogEntities('posts', slugs);
    slugs = posts.filter((post) => filters.every((f) => f(post))).map((p) => p.slug as string);
  }
  const page = paginate([...slugs], paging, lists.pageListMetaKeys);
  const posts = await ctx.source.blogEntities('posts', page.items);
  const excludeBody = isTrue(param(params, 'exclude_body'));
  const data = posts.map((post) => {
    if (!excludeBody) return post;
    const { body: _body, ...rest } = post;
    return rest;
  });
  return { meta: page.meta, data: mediaFor(params, data) as JsonObject[] };
}

export async function retrievePost(ctx: Context, slug: string, params: Record<string, string>) {
  const position = await ctx.source.postPosition(slug);
  if (position === undefined) throw notFound('Not found.');
  const slugs = (await ctx.source.blogIndex()).posts;
  const at = (i: number) => (i >= 0 && i < slugs.length ? [slugs[i]!] : []);
  const [[post], profile] = await Promise.all([
    ctx.source.blogEntities('posts', [slug]),
    ctx.posts(),
  ]);
  const [newer, older] = await Promise.all([
    ctx.source.blogEntities('posts', at(position - 1)),
    ctx.source.blogEntities('posts', at(position + 1)),
  ]);
  const neighbour = ([p]: JsonObject[]): Json => {
    if (!p) return null;
    const out: JsonObject = {};
    for (const key of profile.neighbourKeys) {
      const value = Object.hasOwn(p, key) ? p[key]! : null;
      setOwn(out, key, value);
    }
    return out;
  };
  const next = profile.nextPost === 'newer' ? newer : older;
  const previous = profile.nextPost === 'newer' ? older : newer;
  const meta = orderKeys<Json>(
    { next_post: neighbour(next), previous_post: neighbour(previous) },
    profile.detailMetaKeys,
  );
  return mediaFor(params, { meta, data: shapePost(post!, profile.detail) }) as {
    meta: JsonObject;
    data: JsonObject;
  };
}

export type TaxonomyKind = 'authors' | 'categories' | 'tags';

async function withRecentPosts(
  ctx: Context,
  kind: TaxonomyKind,
  entity: JsonObject,
  params: Record<string, string>,
): Promise<JsonObject> {
  if (param(params, 'include') !== 'recent_posts') return entity;
  const index = await ctx.source.blogIndex();
  const map = index.recentPosts[kind];
  const slugs =
    typeof entity.slug === 'string' && Object.hasOwn(map, entity.slug) ? map[entity.slug]! : [];
  const profile = await ctx.posts();
  const listed: string[] = [];
  for (const slug of slugs) {
    if ((await ctx.source.postPosition(slug)) !== undefined) listed.push(slug);
  }
  const recent = await ctx.source.blogEntities('posts', listed);
  return { ...entity, recent_posts: recent.map((post) => shapePost(post, profile.recent)) };
}

export async function listTaxonomy(
  ctx: Context,
  kind: TaxonomyKind,
  params: Record<string, string>,
) {
  const entities = await ctx.source.blogEntities(kind, (await ctx.source.blogIndex())[kind]);
  const data = await Promise.all(entities.map((e) => withRecentPosts(ctx, kind, e, params)));
  return { data: mediaFor(params, data) as JsonObject[] };
}

export async function retrieveTaxonomy(
  ctx: Context,
  kind: TaxonomyKind,
  slug: string,
  params: Record<string, string>,
) {
  const entity = await ctx.source.blogEntity(kind, slug);
  if (!entity) throw notFound('Not found.');
  return { data: mediaFor(params, await withRecentPosts(ctx, kind, entity, params)) as JsonObject };
}
