/**
 * The API client: the one place that talks HTTP to the ButterCMS Read API. Every request goes
 * through one shared concurrency limit (served by priority, see `RequestOptions`), has a
 * timeout, is retried with backoff where that can help, is counted (each request counts
 * against the plan's monthly quota), and resolves to a validated `{data, meta?}` body — or
 * fails with an `ApiError` that names the endpoint without the token.
 */
import PQueue from 'p-queue';
import type { JsonObject } from '../model/content.ts';
import { sleep } from '../toolkit/sleep.ts';
import { type ListAllOptions, type ListAllResult, listAll } from './paginate.ts';
import { type ClientStats, type RequestContext, type RetryEvent, request } from './request.ts';
import { RetryBudget } from './retry.ts';
import { fetchTransport, nodeTransport } from './transport.ts';
import { buildTarget, type QueryParams } from './url.ts';

export * from './errors.ts';
export { MAX_LISTING_ITEMS, pagesAllowed } from './listing-limits.ts';
export type { ListAllOptions, ListAllResult } from './paginate.ts';
export { shrinkable } from './paginate.ts';
export { type ClientStats, describeRetry, type RetryEvent } from './request.ts';
export { parseRetryAfter, quotaDecision, retryDelay } from './retry.ts';
export type { QueryParams } from './url.ts';

export interface ClientOptions {
  /** Read API token, sent as the `auth_token` query parameter. */
  token: string;
  /** Base URL up to and including `/v2`, e.g. `https://api.buttercms.com/v2`. */
  apiUrl: string;
  /** Most requests in flight at once, shared by every call on this client. */
  concurrency: number;
  /** Per-request timeout (headers and body), ms. */
  timeout: number;
  /** Retries after a network error, timeout, 5xx or unparseable body. */
  retries: number;
  /** Longest `Retry-After` of a 429 (seconds) that is waited for. */
  maxRetryAfter: number;
  /** Largest response body accepted, as sent and once decoded (bytes). @default 64 MiB */
  maxResponseBytes?: number;
  /**
   * A `fetch` to send every request through instead of the built-in `node:http(s)` client
   * (which uses Node's global agents, proxy settings included).
   */
  fetch?: typeof fetch;
  /** Told before each retry (after the failed attempt, before waiting). */
  onRetry?: (event: RetryEvent) => void;
  /** For tests: jitter source. @default Math.random */
  random?: () => number;
  /** For tests: how to wait between attempts (it may stop when `signal` aborts). @default sleep */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: the clock (ms), used for `Retry-After` dates and quota reset times. @default Date.now */
  now?: () => number;
}

export interface ButterClient {
  /** GET apiUrl + path (path like '/pages/*\/' — a trailing slash is added if missing) with query params; resolves to the validated JSON body. */
  get(path: string, params?: QueryParams, options?: { signal?: AbortSignal }): Promise<JsonObject>;
  /** All items of a paginated listing (parallel after the first page; see `paginate.ts`). */
  listAll<T = JsonObject>(
    path: string,
    params: QueryParams,
    options: ListAllOptions<T>,
  ): Promise<ListAllResult<T>>;
  /** Live counters for this client. */
  readonly stats: ClientStats;
}

/** 64 MiB: well above the 10 MB the API documents as its largest answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export function createClient(options: ClientOptions): ButterClient {
  const stats: ClientStats = { requests: 0, retries: 0, bytes: 0, failures: 0 };
  const ctx: RequestContext = {
    token: options.token,
    timeout: options.timeout,
    retries: options.retries,
    maxRetryAfter: options.maxRetryAfter,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    budget: new RetryBudget(),
    transport: options.fetch ? fetchTransport(options.fetch) : nodeTransport,
    queue: new PQueue({ concurrency: Math.max(1, options.concurrency) }),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleep,
    now: options.now ?? Date.now,
    onRetry: options.onRetry,
    stats,
  };
  const apiUrl = options.apiUrl;

  return {
    stats,
    get(path, params, opts) {
      const target = buildTarget(apiUrl, path, params, ctx.token);
      return request(target, ctx, { signal: opts?.signal });
    },
    listAll(path, params, opts) {
      return listAll(
        async (p, query, how) => {
          const target = buildTarget(apiUrl, p, query, ctx.token);
          const body = await request(target, ctx, how);
          return { body, endpoint: target.endpoint };
        },
        path,
        params,
        opts,
        ctx.budget,
      );
    },
  };
}
