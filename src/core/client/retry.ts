/**
 * Retry decisions, pure (after got's `calculate-retry-delay`): how long to wait before the next
 * attempt, how to read a `Retry-After` header, and how many retries a whole sync may make.
 */
import type { ButterError } from '../errors.ts';

export interface RetryDelayOptions {
  /** Seconds from a `Retry-After` header; when given it is the delay (no jitter). */
  retryAfter?: number | undefined;
  /** `[0, 1)`; defaults to `Math.random`. */
  random?: () => number;
  /** Delay of the first retry before jitter, in ms. @default 500 */
  base?: number;
  /** Longest backoff before jitter, in ms. @default 20000 */
  cap?: number;
}

/**
 * Milliseconds to wait before retry number `attempt` (1 = the first retry). Honours
 * `Retry-After`; otherwise exponential backoff `min(cap, base·2^(attempt−1))` with "equal
 * jitter": half of it fixed, half random, so concurrent clients spread out but never retry at once.
 */
export function retryDelay(attempt: number, options: RetryDelayOptions = {}): number {
  if (options.retryAfter !== undefined && Number.isFinite(options.retryAfter)) {
    return Math.max(0, Math.round(options.retryAfter * 1000));
  }
  const base = options.base ?? 500;
  const cap = options.cap ?? 20_000;
  const random = options.random ?? Math.random;
  const n = Math.max(1, Math.floor(attempt));
  const backoff = Math.min(cap, base * 2 ** (n - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(backoff / 2 + (backoff / 2) * r);
}

/**
 * Seconds a `Retry-After` header asks for: delta-seconds (`"120"`) or an HTTP date, relative to
 * `now` (ms). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * What to do about a 429. ButterCMS documents 429 for a used-up monthly API-call quota, so
 * only a short, explicit `Retry-After` (≤ `maxRetryAfter` seconds: a throttle) is waited for;
 * no header or a long one (the monthly reset) fails at once.
 */
export function quotaDecision(
  retryAfter: number | undefined,
  maxRetryAfter: number,
): 'wait' | 'fail' {
  return retryAfter !== undefined && retryAfter <= maxRetryAfter ? 'wait' : 'fail';
}

/**
 * A `Retry-After` at least this long (seconds) points at the monthly quota's reset; a shorter one
 * is a throttle (too many requests for now), whatever the docs say 429 means.
 */
export const QUOTA_RETRY_AFTER = 3600;

/** Retries every client starts with, before any answer has succeeded… */
const RETRY_RESERVE = 20;
/**
 * …of which this many after a timeout: each can cost a whole `timeout` again, and a server
 * that did not answer twice in a row (or once more at half the page size) will not.
 */
const TIMEOUT_RESERVE = 2;
/** Retries each successful answer adds: one per five, so a large sync rides out a flaky server… */
const RETRIES_PER_SUCCESS = 1 / 5;
/** …and retries after a timeout: one per fifty. */
const TIMEOUT_RETRIES_PER_SUCCESS = 1 / 50;

/**
 * The retries one client (one sync) may make in all, shared by every request and by the page
 * sizes a listing shrinks to: a reserve, plus a share of the answers that succeeded; retries
 * after a timeout have a smaller share of their own, since a server that never answers costs a
 * whole `timeout` per attempt. A server that keeps failing stops the sync once the reserve is
 * spent, instead of after every request's retries at every page size; one that mostly answers
 * keeps earning retries.
 */
export class RetryBudget {
  #left = RETRY_RESERVE;
  #timeoutsLeft = TIMEOUT_RESERVE;
  readonly #explained = new WeakSet<ButterError>();
  /** Retries taken so far. */
  spent = 0;

  succeeded(): void {
    this.#left += RETRIES_PER_SUCCESS;
    this.#timeoutsLeft += TIMEOUT_RETRIES_PER_SUCCESS;
  }

  /** Takes one retry (`afterTimeout`: of a request that timed out); false when none is left. */
  take(afterTimeout: boolean): boolean {
    if (this.#left < 1 || (afterTimeout && this.#timeoutsLeft < 1)) return false;
    this.#left -= 1;
    if (afterTimeout) this.#timeoutsLeft -= 1;
    this.spent++;
    return true;
  }

  /** Says on `error`, once, that the budget refused it a retry. */
  explain(error: ButterError): void {
    if (this.#explained.has(error)) return;
    this.#explained.add(error);
    error.addDetail(
      `The sync stopped retrying: its retry budget is spent (${this.spent} retries made; it allows ${RETRY_RESERVE}, ${TIMEOUT_RESERVE} after timeouts, and more as answers succeed).`,
    );
  }
}
