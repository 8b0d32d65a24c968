/**
 * Whole listings. The first page tells `meta.count` and how many items the server really
 * returns per page (never assumed to be the page size asked for); the other pages are then
 * requested in parallel (each through the client's one concurrency limit) and the result is
 * checked against the meta chain. If anything does not add up, the listing follows
 * `next_page`/`next_offset` one page at a time instead, guarded against pages that don't
 * advance. A listing that fails with a timeout or a cut-off body is retried with half the page
 * size, down to 1.
 */
import type { JsonObject } from '../snapshot/model.ts';
import { ApiError, BadResponseError } from './errors.ts';
import type { BodyKeeper, Tally } from './request.ts';
import type { QueryParams } from './url.ts';
import { type PageMeta, pageMeta } from './validate.ts';

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
  /** Takes each page's bytes and body as it arrives; its result is the body used (`BodyKeeper`). */
  keep?: BodyKeeper;
  /** `page`/`page_size` (default) or `limit`/`offset`. */
  style?: 'page' | 'offset';
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

export async function listAll<T>(
  fetchPage: FetchPage,
  path: string,
  params: QueryParams,
  options: ListAllOptions<T>,
): Promise<ListAllResult<T>> {
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new RangeError(`listAll: pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const tally: Tally = { requests: 0 };
  let size = options.pageSize;
  for (;;) {
    try {
      const pages = await listOnce(fetchPage, path, params, options, size, tally);
      return { items: pages.flat(), pages, requests: tally.requests, pageSize: size };
    } catch (error) {
      if (size > 1 && shrinkable(error) && !options.signal?.aborted) {
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      throw error;
    }
  }
}

interface Page<T> {
  /** Page number, or offset. */
  at: number;
  items: T[];
  meta: PageMeta | undefined;
  endpoint: string;
}

interface Style {
  params(at: number, size: number): QueryParams;
  first: number;
  next(meta: PageMeta | undefined): number | null | undefined;
  /** Where the page after `page` starts, had the server returned `honoured` items per page. */
  step(at: number, honoured: number): number;
  /** Positions of every page after the first, from count and the honoured page length. */
  rest(count: number, honoured: number): number[];
}

const PAGE_STYLE: Style = {
  params: (page, size) => ({ page, page_size: size }),
  first: 1,
  next: (meta) => meta?.nextPage,
  step: (page) => page + 1,
  rest: (count, honoured) => range(2, Math.ceil(count / honoured) + 1, 1),
};

const OFFSET_STYLE: Style = {
  params: (offset, size) => ({ limit: size, offset }),
  first: 0,
  next: (meta) => meta?.nextOffset,
  step: (offset, honoured) => offset + honoured,
  rest: (count, honoured) => range(honoured, count, honoured),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
}

async function listOnce<T>(
  fetchPage: FetchPage,
  path: string,
  params: QueryParams,
  options: ListAllOptions<T>,
  size: number,
  tally: Tally,
): Promise<T[][]> {
  const style = options.style === 'offset' ? OFFSET_STYLE : PAGE_STYLE;
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
      { ...base, ...style.params(at, size) },
      { signal, tally, bulk },
    );
    return {
      at,
      items: extractItems(body, endpoint, options.extract),
      meta: pageMeta(body),
      endpoint,
    };
  };

  const first = await load(style.first, options.signal);
  const next = style.next(first.meta);
  if (next === null || next === undefined) return [first.items];

  const count = first.meta?.count;
  const honoured = first.items.length;
  if (count !== undefined && honoured > 0 && next === style.step(first.at, honoured)) {
    const positions = style.rest(count, honoured);
    if (positions.length > 0) {
      const pages = await loadAll(
        positions,
        (at, signal) => load(at, signal, count),
        options.signal,
      );
      const all = [first, ...pages];
      if (consistent(all, style, count, honoured)) return all.map((p) => p.items);
    }
  }
  return follow(first, load, style, options.signal);
}

/** Loads pages in parallel; the first failure cancels the ones not yet done. */
async function loadAll<T>(
  positions: number[],
  load: (at: number, signal: AbortSignal) => Promise<Page<T>>,
  caller: AbortSignal | undefined,
): Promise<Page<T>[]> {
  const controller = new AbortController();
  const signal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
  try {
    return await Promise.all(
      positions.map((at) =>
        load(at, signal).catch((error: unknown) => {
          controller.abort();
          throw error;
        }),
      ),
    );
  } finally {
    controller.abort();
  }
}

/** Every page agrees on the count, has the honoured length (the last the remainder), and
 * points at the next one (the last at none). */
function consistent<T>(pages: Page<T>[], style: Style, count: number, honoured: number): boolean {
  let total = 0;
  for (const [i, page] of pages.entries()) {
    const last = i === pages.length - 1;
    const expected = last ? count - honoured * (pages.length - 1) : honoured;
    if (page.meta?.count !== count || page.items.length !== expected) return false;
    const next = style.next(page.meta);
    if (last ? next !== null && next !== undefined : next !== style.step(page.at, honoured)) {
      return false;
    }
    total += page.items.length;
  }
  return total === count;
}

/** Follows the next-page chain one request at a time, refusing to loop or stall. */
async function follow<T>(
  first: Page<T>,
  load: (at: number, signal: AbortSignal | undefined) => Promise<Page<T>>,
  style: Style,
  signal: AbortSignal | undefined,
): Promise<T[][]> {
  const pages = [first.items];
  const seen = new Set([first.at]);
  const limit = (first.meta?.count ?? 100_000) + 2;
  let page = first;
  for (;;) {
    let next = style.next(page.meta);
    if (style === OFFSET_STYLE && page.items.length > 0) {
      // Trust what arrived over a next_offset computed from the limit asked for (which may
      // overshoot, or end the chain early, when the server returned fewer items).
      const cursor = page.at + page.items.length;
      const count = page.meta?.count;
      if (next === null || next === undefined) {
        if (count !== undefined && cursor < count) next = cursor;
      } else {
        next = Math.min(next, cursor);
      }
    }
    if (next === null || next === undefined) return pages;
    if (page.items.length === 0 || next <= page.at || seen.has(next) || seen.size > limit) {
      throw new BadResponseError(
        `${page.endpoint} → 200, but pagination does not advance: ${describe(style, page.at)} returned ${page.items.length} items and points to ${describe(style, next)} next.`,
        {
          endpoint: page.endpoint,
          status: 200,
          hint: 'The listing changed while it was read, or the server paginates inconsistently: run the sync again.',
        },
      );
    }
    seen.add(next);
    page = await load(next, signal);
    pages.push(page.items);
  }
}

function describe(style: Style, at: number): string {
  return style === OFFSET_STYLE ? `offset ${at}` : `page ${at}`;
}

function extractItems<T>(
  body: JsonObject,
  endpoint: string,
  extract: (body: JsonObject) => T[],
): T[] {
  let items: unknown;
  try {
    items = extract(body);
  } catch {
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
