/**
 * Whole listings. The first page tells `meta.count` and how many items the server really
 * returns per page (never assumed to be the page size asked for); the other pages are then
 * requested in parallel (each through the client's one concurrency limit), each checked against
 * the meta chain as it arrives. If anything does not add up, the listing follows
 * `next_page` one page at a time instead, guarded against pages that don't
 * advance and bounded by what the first page promised. A listing that fails with a timeout or a
 * cut-off body is retried with half the page size, down to 1, while the client's retry budget
 * lasts. The server's numbers are never trusted with memory: no array is sized from a count.
 */
import type { JsonObject } from '../model/content.ts';
import { followPages } from '../model/listing.ts';
import { ApiError, BadResponseError, ListingShapeProblem } from './errors.ts';
import {
  doesNotAddUp,
  doesNotEnd,
  implausibleCount,
  MAX_LISTING_ITEMS,
  pagesAllowed,
  pagesPromised,
} from './listing-limits.ts';
import type { Tally } from './request.ts';
import type { RetryBudget } from './retry.ts';
import type { QueryParams } from './url.ts';
import { type PageMeta, pageMeta } from './validate.ts';

/**
 * Pages a listing requests at once after its first: as many as the largest `concurrency`, so
 * one long listing can keep the client's limit full; more would be promises held for nothing.
 */
const BULK_WINDOW = 64;

export interface PageResult {
  body: JsonObject;
  endpoint: string;
}

/** GETs one page (validated, retried) and counts its requests into `tally`. */
export type FetchPage = (
  path: string,
  params: QueryParams,
  how: { signal: AbortSignal | undefined; tally: Tally; bulk: number | undefined },
) => Promise<PageResult>;

export interface ListAllOptions<T> {
  /** Items to ask for per request; the server may return fewer. */
  pageSize: number;
  /** The item array of a body: `b => b.data` for pages/posts, `b => b.data[key]` for collections. */
  extract: (body: JsonObject) => T[];
  signal?: AbortSignal;
}

export interface ListAllResult<T> {
  items: T[];
  /**
   * The arrays `extract` returned for the pages `items` was made of, in order (a listing that
   * fell back to fewer or smaller pages made more requests than it used).
   */
  pages: T[][];
  /** HTTP requests this listing made, retries and smaller-page-size rounds included. */
  requests: number;
  /** The page size finally used (smaller than asked for after timeouts or cut-off bodies). */
  pageSize: number;
}

/** Failures a smaller page size can cure: too slow or too big to arrive whole (timeouts, bodies
 * cut off mid-document or mid-transfer, gateway timeouts). */
export function shrinkable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  switch (error.code) {
    case 'TIMEOUT':
      return true;
    case 'BAD_RESPONSE':
      return (error as BadResponseError).truncated;
    case 'NETWORK':
      return (error as { incomplete?: boolean }).incomplete === true;
    case 'SERVER':
      return error.status === 504;
    default:
      return false;
  }
}

/** `budget`: the client's retry budget, which every smaller page size takes one retry from. */
export async function listAll<T>(
  fetchPage: FetchPage,
  path: string,
  params: QueryParams,
  options: ListAllOptions<T>,
  budget?: RetryBudget,
): Promise<ListAllResult<T>> {
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new RangeError(`listAll: pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const tally: Tally = { requests: 0 };
  const tried: number[] = [];
  let size = options.pageSize;
  for (;;) {
    try {
      const pages = await listOnce(fetchPage, path, params, options, size, tally);
      return { items: pages.flat(), pages, requests: tally.requests, pageSize: size };
    } catch (error) {
      // Aborted: `error` is the caller's reason (maybe another listing's failure), not ours.
      if (options.signal?.aborted || !(error instanceof ApiError)) throw error;
      const shrink = size > 1 && shrinkable(error);
      if (shrink && (!budget || budget.take(error.code === 'TIMEOUT'))) {
        tried.push(size);
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      if (tried.length > 0) {
        error.addDetail(`The listing was also tried at page size ${tried.join(', ')}.`);
      }
      if (shrink) budget?.explain(error);
      throw error;
    }
  }
}

interface Page<T> {
  /** Page number (1 = the first). */
  at: number;
  items: T[];
  meta: PageMeta | undefined;
  endpoint: string;
}

/** The numbers of the pages after the first, up to `pages`, one at a time. */
function* rest(pages: number): Generator<number> {
  for (let page = 2; page <= pages; page++) yield page;
}

async function listOnce<T>(
  fetchPage: FetchPage,
  path: string,
  params: QueryParams,
  options: ListAllOptions<T>,
  size: number,
  tally: Tally,
): Promise<T[][]> {
  // One pagination style only: the API ignores page/page_size when limit/offset are present.
  const { page: _p, page_size: _s, limit: _l, offset: _o, ...base } = params;
  /** Loads one page; `bulk`: one of the pages loaded at once after the first (see `request`). */
  const load = async (
    at: number,
    signal: AbortSignal | undefined,
    bulk?: number,
  ): Promise<Page<T>> => {
    const { body, endpoint } = await fetchPage(
      path,
      { ...base, page: at, page_size: size },
      { signal, tally, bulk },
    );
    return {
      at,
      items: extractItems(body, endpoint, options.extract),
      meta: pageMeta(body),
      endpoint,
    };
  };

  const first = await load(1, options.signal);
  const count = first.meta?.count;
  if (count !== undefined && count > MAX_LISTING_ITEMS) {
    throw implausibleCount(first.endpoint, count);
  }
  const next = first.meta?.nextPage;
  const honoured = first.items.length;
  const promised = pagesPromised(count, honoured);
  if (next !== null && next !== undefined && promised !== undefined && promised > 1 && next === 2) {
    /** Agrees on the count, has the honoured length (the last the remainder), points at the next. */
    const fits = (page: Page<T>) => {
      const last = page.at === promised;
      const length = last ? count! - honoured * (promised - 1) : honoured;
      const after = page.meta?.nextPage;
      return (
        page.meta?.count === count &&
        page.items.length === length &&
        (last ? after === null || after === undefined : after === page.at + 1)
      );
    };
    const pages = await loadBulk(
      rest(promised),
      (at, signal) => load(at, signal, count),
      fits,
      options.signal,
    );
    if (pages) return [first.items, ...pages.map((p) => p.items)];
  }
  return follow(first, load, options.signal);
}

/**
 * Loads the pages at `positions` (taken one at a time, at most `BULK_WINDOW` in flight), in
 * parallel, checking each with `fits` as it arrives. Resolves to the pages in order, or to
 * `undefined` as soon as one does not fit; rejects with the first failure. Either way the
 * pages not yet loaded are cancelled.
 */
function loadBulk<T>(
  positions: Iterator<number>,
  load: (at: number, signal: AbortSignal) => Promise<Page<T>>,
  fits: (page: Page<T>) => boolean,
  caller: AbortSignal | undefined,
): Promise<Page<T>[] | undefined> {
  const controller = new AbortController();
  const signal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
  const pages: Page<T>[] = [];
  let started = 0;
  let active = 0;
  let settled = false;
  return new Promise((resolve, reject) => {
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      controller.abort();
      finish();
    };
    const pump = () => {
      while (!settled && active < BULK_WINDOW) {
        const position = positions.next();
        if (position.done) {
          if (active === 0) settle(() => resolve(pages));
          return;
        }
        const index = started++;
        active++;
        load(position.value, signal).then(
          (page) => {
            active--;
            if (!fits(page)) {
              settle(() => resolve(undefined));
              return;
            }
            pages[index] = page;
            pump();
          },
          (error: unknown) => {
            active--;
            settle(() => reject(error));
          },
        );
      }
    };
    pump();
  });
}

/**
 * Follows the next-page chain from `first` one request at a time, refusing to loop or stall, no
 * further than what the first page promised (`pagesAllowed`), and checks that the pages hold
 * as many items as were counted.
 */
async function follow<T>(
  first: Page<T>,
  load: (at: number, signal: AbortSignal | undefined) => Promise<Page<T>>,
  signal: AbortSignal | undefined,
): Promise<T[][]> {
  const pages: T[][] = [];
  const seen = new Set([first.at]);
  const allowed = pagesAllowed(first.meta?.count, first.items.length);
  let total = 0;
  await followPages(
    first,
    (at) => load(at, signal),
    (page) => {
      pages.push(page.items);
      total += page.items.length;
      const next = page.meta?.nextPage;
      if (next === null || next === undefined) {
        // Items added while the listing is read raise the last count, items deleted lower it:
        // fewer items than both counts is neither, but items lost.
        const counts = [first.meta?.count, page.meta?.count].filter((c) => c !== undefined);
        const count = counts.length > 0 ? Math.min(...counts) : undefined;
        if (count !== undefined && total < count) {
          throw doesNotAddUp(page.endpoint, count, total, pages.length);
        }
        return undefined;
      }
      if (page.items.length === 0 || next <= page.at || seen.has(next)) {
        throw new BadResponseError(
          `${page.endpoint} → 200, but pagination does not advance: page ${page.at} returned ${page.items.length} items and points to page ${next} next.`,
          {
            endpoint: page.endpoint,
            status: 200,
            hint: 'The listing changed while it was read, or the server paginates inconsistently: run the sync again.',
          },
        );
      }
      if (seen.size >= allowed) {
        const promise = { count: first.meta?.count, perPage: first.items.length };
        throw doesNotEnd(page.endpoint, promise, seen.size, `page ${next}`);
      }
      seen.add(next);
      return next;
    },
  );
  return pages;
}

function extractItems<T>(
  body: JsonObject,
  endpoint: string,
  extract: (body: JsonObject) => T[],
): T[] {
  let items: unknown;
  try {
    items = extract(body);
  } catch (error) {
    if (error instanceof ListingShapeProblem) {
      throw new BadResponseError(`${endpoint} → 200, but the body is ${error.message}.`, {
        endpoint,
        status: 200,
        hint: 'This is not a ButterCMS Read API answer: check `apiUrl` and any proxy in between.',
      });
    }
    items = undefined;
  }
  if (!Array.isArray(items)) {
    throw new BadResponseError(
      `${endpoint} → 200, but the body has no item list where the listing expects one (keys: ${Object.keys(body).join(', ') || 'none'}).`,
      {
        endpoint,
        status: 200,
        hint: 'Check the page type or collection key; a collection listing answers `{data: {<key>: [...]}}`.',
      },
    );
  }
  return items as T[];
}
