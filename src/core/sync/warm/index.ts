/**
 * The warm sync: with a snapshot of the same options on disk, requests go only where content
 * may have changed, and the result is the snapshot a full (cold) sync writes, byte for byte.
 *
 * - Page types: one one-item request per page type and locale (`checks.ts`); a listing that
 *   may differ is fetched again whole, and every one when pages came (`referrers.ts`).
 * - Single pages and collections: fetched again (single pages cannot be ordered, collection
 *   items have no timestamps).
 * - The blog: authors, categories and tags again; posts from the sitemap (`posts.ts`).
 *
 * Listings are stored at `levels=1` (references are URIs), so an entity's JSON changes only when
 * that entity does: a changed entity never makes its referrers' listings fetched again. The
 * merge, discovery and probes are the partial sync's (`partial.ts`).
 */
import type { ResolvedOptions } from '../../options.ts';
import type { Spool } from '../../snapshot/spool.ts';
import type { CrawlOutput } from '../crawl.ts';
import { type CrawlEnv, type CrawlPlan, startListings } from '../engine.ts';
import { crawlPartial, type PartialBase, partialBase } from '../partial.ts';
import type { WarmReport } from '../types.ts';
import { checkPageType, type PageTypeCheck } from './checks.ts';
import { type PostsOutcome, warmBlog } from './posts.ts';
import { referrersToRefetch } from './referrers.ts';

/**
 * The snapshot a warm sync starts from: one of the same source, levels, preview and locales,
 * holding every page type and collection it was configured with (a name dropped
 * from the configuration could stay only as a discovered one: a cold sync decides).
 */
export async function warmBase(
  options: ResolvedOptions,
  locales: (string | null)[],
  spool: Spool,
): Promise<PartialBase | undefined> {
  const base = await partialBase(options, locales, spool);
  if (!base) return undefined;
  const first = base.content.locales[0];
  const configuredBefore = (held: string[], discovered: string[]) =>
    held.filter((name) => !discovered.includes(name));
  const pageTypes = configuredBefore(
    Object.keys(first?.pageTypes ?? {}),
    base.discovered.pageTypes,
  );
  const collections = configuredBefore(
    Object.keys(first?.collections ?? {}),
    base.discovered.collections,
  );
  const kept = (before: string[], now: string[]) => before.every((name) => now.includes(name));
  return kept(pageTypes, options.pageTypes) && kept(collections, options.collections)
    ? base
    : undefined;
}

export async function crawlWarm(
  plan: CrawlPlan,
  base: PartialBase,
  env: CrawlEnv,
): Promise<CrawlOutput & { warm: Omit<WarmReport, 'callsSaved'> }> {
  const locales = base.content.locales;
  const pageTypes = [
    ...new Set([...plan.pageTypes, ...locales.flatMap((l) => Object.keys(l.pageTypes))]),
  ];
  const collections = [
    ...new Set([...plan.collections, ...locales.flatMap((l) => Object.keys(l.collections))]),
  ];
  const { group, listing, ctx } = startListings(plan, env);
  const checks = pageTypes.map(() => locales.map((): PageTypeCheck => 'changed'));
  pageTypes.forEach((name, i) => {
    locales.forEach((l, j) => {
      listing(async () => {
        checks[i]![j] = await checkPageType(ctx, name, l.locale, l.pageTypes[name]);
      });
    });
  });
  await group.idle();
  // Pages came: every page type is fetched again anyway (see `referrers.ts`), so in this round
  // rather than in a second one after it.
  const grown = checks.some((each) => each.includes('grown'));
  const changedTypes = pageTypes.filter(
    (_, i) => grown || checks[i]!.some((check) => check !== 'unchanged'),
  );
  let posts: PostsOutcome = { how: 'all', pages: -1 };
  const first = await crawlPartial(
    plan,
    { pageTypes: changedTypes, collections, singlePages: true, blog: true },
    base,
    env,
    warmBlog((outcome) => {
      posts = outcome;
    }, base.stored),
  );
  // Pages that may show a reference which came or went with those changes: a second round.
  const referrers = referrersToRefetch(base.content, first.content, new Set(changedTypes));
  const output =
    referrers.length === 0
      ? first
      : await crawlPartial(plan, { pageTypes: referrers }, { ...first, stored: base.stored }, env);
  changedTypes.push(...referrers);
  const checkedListings = pageTypes.length * locales.length;
  const skipped =
    (pageTypes.length - changedTypes.length) * locales.length + (posts.how === 'unchanged' ? 1 : 0);
  return {
    ...output,
    warm: {
      checked: checkedListings + (plan.preview ? 0 : 1),
      skipped,
      refetched:
        changedTypes.length * locales.length +
        (collections.length + 1) * locales.length +
        (posts.how === 'all' ? 1 : 0),
      postPages: Math.max(posts.pages, 0),
      coldRequests: coldRequests(output, plan.pageSize),
    },
  };
}

/** The requests a cold sync of this content makes: every listing page, plus the probes. */
function coldRequests(output: CrawlOutput, pageSize: number): number {
  const pagesOf = (length: number) => Math.max(1, Math.ceil(length / pageSize));
  const { locales, blog, probes } = output.content;
  let requests = 3 + pagesOf(blog.posts.length);
  for (const locale of locales) {
    requests += pagesOf(locale.singlePages.length);
    for (const pages of Object.values(locale.pageTypes)) requests += pagesOf(pages.length);
    for (const items of Object.values(locale.collections)) requests += pagesOf(items.length);
  }
  const made = [probes.postDetail, probes.pageListDefault].filter(Boolean).length;
  return requests + made + probes.embedded.length + (probes.media?.length ?? 0);
}
