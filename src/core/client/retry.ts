/**
 * Retry decisions, pure (after got's `calculate-retry-delay`): how long to wait before the next
 * attempt, and how to read a `Retry-After` header.
 */

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
 * What to do about a 429. ButterCMS answers 429 when the monthly API-call quota is used up, so
 * only a short, explicit `Retry-After` (≤ `maxRetryAfter` seconds) is waited for; no header or a
 * long one (the monthly reset) fails at once.
 */
export function quotaDecision(
  retryAfter: number | undefined,
  maxRetryAfter: number,
): 'wait' | 'fail' {
  return retryAfter !== undefined && retryAfter <= maxRetryAfter ? 'wait' : 'fail';
}

/** "in 3 days", "in 2 hours", "in 45 seconds" — for quota messages. */
export function describeDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size || size === 1) {
      const n = Math.round(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
