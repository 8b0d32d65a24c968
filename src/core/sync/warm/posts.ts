/**
 * The blog of a warm sync. Authors, categories and tags are fetched again (one request each);
 * posts, which cannot be ordered by `updated`, are checked against the blog sitemap
 * (`/feeds/sitemap/`: every published post's URL with its last modification date, one request).
 * Only the listing pages that hold a post added or modified since the snapshot are fetched, and
 * only when each fetched page proves the order of the rest (the same posts at the places the
 * snapshot has them); anything else, a changed author, category or tag (posts embed them), and
 * preview snapshots (the sitemap lists published posts only) fetch every post again.
 */
import { decodeXML } from 'entities/decode';
import { apiPath } from '../../model/api-paths.ts';
import type { EntityList, Json, JsonObject } from '../../model/content.ts';
import { metaCount } from '../../model/listing.ts';
import { type QueryParams, storedEntities } from '../api.ts';
import { isNotFound } from '../failures.ts';
import { fetchPosts, fetchTaxonomy, type ListingContext } from '../listings.ts';
import { type BlogSource, blogOf, type StoredForm, storesAs } from '../partial.ts';

/**
 * A sitemap's `lastmod` is a date (often without a time, in the server's time zone): a post
 * modified after the newest `updated` the snapshot holds has a `lastmod` no earlier than this
 * much before it.
 */
const LASTMOD_MARGIN_MS = 36 * 3600_000;

/** Listing pages fetched from the top to find added posts before giving up on them. */
const MAX_HEAD_PAGES = 3;

export interface PostsOutcome {
  /** How the posts were had: unchanged, some listing pages, or every post again. */
  how: 'unchanged' | 'pages' | 'all';
  /** Listing pages fetched (0 when unchanged). */
  pages: number;
}

/**
 * The warm blog source; `report` learns how the posts were had. Answers are compared with the
 * snapshot in the form it stores them (`stored`: media URLs rewritten to local paths).
 */
export function warmBlog(report: (outcome: PostsOutcome) => void, stored: StoredForm): BlogSource {
  return async (ctx, base) => {
    // Awaited together: a failure of one leaves no other's rejection unhandled.
    const [live, ...taxonomies] = await Promise.all([
      ctx.preview ? undefined : fetchSitemap(ctx),
      ...(['authors', 'categories', 'tags'] as const).map((kind) => fetchTaxonomy(ctx, kind)),
    ]);
    const sameTerms =
      storesAs(base.authors, taxonomies[0]!.entities, stored) &&
      storesAs(base.categories, taxonomies[1]!.entities, stored) &&
      storesAs(base.tags, taxonomies[2]!.entities, stored);
    const found = sameTerms && live ? await postsSince(ctx, base.posts, live, stored) : undefined;
    if (found) report({ how: found.pages === 0 ? 'unchanged' : 'pages', pages: found.pages });
    else report({ how: 'all', pages: -1 });
    const posts = found?.posts ?? (await fetchPosts(ctx));
    const postsChanged = found ? found.changed : !storesAs(base.posts, posts, stored);
    // Unchanged: the snapshot's own posts (stored form; the write keeps their files as they are).
    return { ...blogOf(postsChanged ? posts : base.posts, taxonomies), postsChanged };
  };
}

/** Slug → `lastmod` (ms; NaN when absent) of every post the sitemap lists. */
type Sitemap = Map<string, number>;

async function fetchSitemap(ctx: ListingContext): Promise<Sitemap | undefined> {
  let body: JsonObject;
  try {
    body = await ctx.api.get(apiPath.sitemap(), {}, { signal: ctx.signal });
  } catch (error) {
    // Documented: "404 - … no posts found".
    if (isNotFound(error)) return new Map();
    throw error;
  }
  return typeof body.data === 'string' ? parseSitemap(body.data) : undefined;
}

/** The posts of a sitemaps.org `urlset`: each `<loc>`'s last path segment is the post's slug. */
export function parseSitemap(xml: string): Sitemap | undefined {
  const posts: Sitemap = new Map();
  for (const [, entry = ''] of xml.matchAll(/<url>([\s\S]*?)<\/url>/g)) {
    const loc = /<loc>\s*([^<]*?)\s*<\/loc>/.exec(entry)?.[1];
    const lastmod = /<lastmod>\s*([^<]*?)\s*<\/lastmod>/.exec(entry)?.[1];
    const slug = (loc && decodeXML(loc))?.split(/[?#]/)[0]?.replace(/\/+$/, '').split('/').pop();
    if (!slug) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(slug);
    } catch {
      return undefined;
    }
    posts.set(decoded, lastmod ? Date.parse(lastmod) : Number.NaN);
  }
  return posts;
}

/**
 * The posts listing now, from the snapshot's and the listing pages that hold what changed, or
 * `undefined` when the pages fetched cannot prove the rest unchanged and in place. The
 * snapshot's posts are read one at a time, and named by their index in `old`.
 */
async function postsSince(
  ctx: ListingContext,
  old: EntityList,
  live: Sitemap,
  stored: StoredForm,
): Promise<{ posts: EntityList; pages: number; changed: boolean } | undefined> {
  const slugs: (Json | undefined)[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const post of old) {
    slugs.push(post.slug);
    newest = Math.max(newest, Date.parse(String(post.updated)));
  }
  if (old.length > 0 && Number.isNaN(newest)) return undefined;
  const since = newest - LASTMOD_MARGIN_MS;
  const bySlug = new Map(slugs.map((slug, i) => [slug, i]));
  if (bySlug.size !== old.length) return undefined;
  const kept = slugs.flatMap((slug, i) => (live.has(String(slug)) ? [i] : []));
  const added = new Set([...live.keys()].filter((slug) => !bySlug.has(slug)));
  const modified = new Set(
    kept.map((i) => String(slugs[i])).filter((slug) => !((live.get(slug) ?? Number.NaN) < since)),
  );
  if (added.size === 0 && modified.size === 0) {
    const changed = kept.length !== old.length;
    return { posts: changed ? ctx.spool.compose(old, kept) : old, pages: 0, changed };
  }

  const size = ctx.pageSize;
  const total = kept.length + added.size;
  let pages = 0;
  const fetchPage = async (page: number) => {
    const params: QueryParams = { page, page_size: size };
    if (ctx.preview) params.preview = 1;
    const body = await ctx.api.get(apiPath.posts(), params, { signal: ctx.signal });
    pages++;
    const count = metaCount(body);
    return count === undefined || count === total
      ? storedEntities(body, { kind: 'post' })
      : undefined;
  };

  // Added posts are looked for from the top (new posts are the newest): the pages read must
  // hold every one of them, and the snapshot's posts in their order around them.
  const head: JsonObject[] = [];
  for (let page = 1; [...added].some((slug) => !head.some((p) => p.slug === slug)); page++) {
    const items = page <= MAX_HEAD_PAGES ? await fetchPage(page) : undefined;
    if (!items || items.length === 0) return undefined;
    head.push(...items);
  }
  const slugOf = (part: number | JsonObject | undefined) =>
    typeof part === 'number' ? slugs[part] : part?.slug;
  const headKept = head.filter((post) => !added.has(String(post.slug)));
  if (headKept.some((post, i) => post.slug !== slugOf(kept[i]))) return undefined;
  // Each post: fetched now, or the snapshot's at that index.
  const order: (number | JsonObject)[] = [...head, ...kept.slice(headKept.length)];
  const got = new Map<number, JsonObject>(head.map((post, i) => [i, post]));

  // Each modified post further down: its page, which must hold the expected posts.
  const wanted = new Set<number>();
  order.forEach((part, i) => {
    if (i >= head.length && modified.has(String(slugOf(part))))
      wanted.add(Math.floor(i / size) + 1);
  });
  const answers = await Promise.all(
    [...wanted].map(async (page) => ({ page, items: await fetchPage(page) })),
  );
  for (const { page, items } of answers) {
    const start = (page - 1) * size;
    const expected = order.slice(start, start + size);
    if (!items || items.length !== expected.length) return undefined;
    if (items.some((post, i) => post.slug !== slugOf(expected[i]))) return undefined;
    items.forEach((post, i) => {
      got.set(start + i, post);
    });
  }
  const posts = order.map((part, i) => got.get(i) ?? part);
  // What was fetched is all that can differ from the snapshot (besides posts that went).
  const before = (post: JsonObject) => {
    const at = bySlug.get(post.slug);
    return at === undefined ? {} : old.at(at)!;
  };
  const changed =
    posts.length !== old.length ||
    [...got.values()].some((post) => !storesAs([before(post)], [post], stored));
  return { posts: ctx.spool.compose(old, posts), pages, changed };
}
