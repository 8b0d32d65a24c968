/**
 * What a listing may claim and must add up to: the bounds pagination holds a server to (no
 * array is sized from its numbers, no chain followed past what it promised), and the errors
 * when a listing breaks them, naming the endpoint and the numbers.
 */
import { plural } from '../toolkit/format.ts';
import { type ApiError, BadResponseError } from './errors.ts';

/**
 * Items one listing may announce (`meta.count`). A million entities is ten times the largest
 * account the project is measured on, and 10,000 requests at the API's largest page size: a
 * larger count is a broken or hostile server, and is neither crawled nor allocated for.
 */
export const MAX_LISTING_ITEMS = 1_000_000;

/**
 * Pages a listing without `meta.count` (which the docs put in every listing's meta) is followed
 * for at most: it promised nothing to bound it by.
 */
const UNCOUNTED_PAGES = 1_000;

/** Pages a listing whose first page counted `count` items, `perPage` of them, promised. */
export function pagesPromised(count: number | undefined, perPage: number): number | undefined {
  return count === undefined || perPage === 0 ? undefined : Math.ceil(count / perPage);
}

/**
 * Pages such a listing may have: what it promised, plus room for content added while it is
 * read (a tenth, and at least 2 pages); a listing that never ends gets no further. Without a
 * count, `UNCOUNTED_PAGES`.
 */
export function pagesAllowed(count: number | undefined, perPage: number): number {
  const promised = pagesPromised(count, perPage);
  if (promised === undefined) return UNCOUNTED_PAGES;
  return promised + Math.max(2, Math.ceil(promised / 10));
}

const RUN_AGAIN =
  'Run the sync again: a listing that changed while it was read adds up the next time. If it keeps failing, the server (or a proxy in between) loses items or paginates wrongly.';

/** `pages` pages of a listing hold `total` items, fewer than it counts, and point to no next. */
export function doesNotAddUp(
  endpoint: string,
  count: number,
  total: number,
  pages: number,
): ApiError {
  const hold = pages === 1 ? 'page holds' : `${pages} pages hold`;
  return new BadResponseError(
    `${endpoint} → 200, but the listing does not add up: \`meta.count\` is ${count}, and its ${hold} ${total} items with no next page.`,
    { endpoint, status: 200, hint: RUN_AGAIN },
  );
}

/** After `loaded` pages (all it may have) a listing still points to `next` (`page 7`). */
export function doesNotEnd(
  endpoint: string,
  first: { count: number | undefined; perPage: number },
  loaded: number,
  next: string,
): ApiError {
  const promised = pagesPromised(first.count, first.perPage);
  const promise =
    promised === undefined
      ? 'its first page has no `meta.count`'
      : `its first page promised ${first.count} items (${plural(promised, 'page')} of ${first.perPage})`;
  return new BadResponseError(
    `${endpoint} → 200, but the listing does not end: ${promise}, and after ${loaded} pages it still points to ${next} next.`,
    { endpoint, status: 200, hint: RUN_AGAIN },
  );
}

/** A `meta.count` past `MAX_LISTING_ITEMS`. */
export function implausibleCount(endpoint: string, count: number): ApiError {
  return new BadResponseError(
    `${endpoint} → 200, but \`meta.count\` is ${count}: more than the ${MAX_LISTING_ITEMS} items a listing may hold.`,
    {
      endpoint,
      status: 200,
      hint: 'This is not a plausible ButterCMS listing: check `apiUrl` and any proxy in between.',
    },
  );
}
