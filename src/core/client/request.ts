/**
 * One GET against the Read API: each attempt runs inside the shared concurrency limit with its
 * own timeout (headers and body), is counted, and ends as a validated body or a `Failure`; the
 * loop around it retries what is worth retrying, waiting outside the limit.
 */
import type PQueue from 'p-queue';
import type { JsonObject } from '../model/content.ts';
import { redact, stripToken } from '../redact.ts';
import type { ApiError } from './errors.ts';
import { sanitizeCause } from './errors.ts';
import { type Failure, failureToError, statusLine } from './failure.ts';
import { parseRetryAfter, quotaDecision, type RetryBudget, retryDelay } from './retry.ts';
import { type HttpAnswer, ResponseTooLarge, type Transport } from './transport.ts';
import type { RequestTarget } from './url.ts';
import {
  envelopeProblem,
  errorDetail,
  jsonDeeperThan,
  MAX_JSON_DEPTH,
  parseBody,
} from './validate.ts';

export interface RetryEvent {
  /** `GET /v2/pages/*\/?page=2` (no token). */
  endpoint: string;
  /** The attempt that failed (1 = the first request). */
  attempt: number;
  /** Milliseconds waited before the next attempt. */
  delay: number;
  /** What failed, as the error the caller would get if no retry followed. */
  error: ApiError;
}

export interface ClientStats {
  /** HTTP requests made (each counts against the monthly API-call quota), retries included. */
  requests: number;
  /** Of those, retries. */
  retries: number;
  /** Response body bytes received (after content decoding). */
  bytes: number;
  /** Calls that finally failed after any retries (a caller's abort is not a failure). */
  failures: number;
}

export interface RequestContext {
  token: string;
  timeout: number;
  retries: number;
  maxRetryAfter: number;
  /** Largest body accepted, as sent and once decoded. */
  maxBytes: number;
  /** The retries this client may still make, all requests together. */
  budget: RetryBudget;
  transport: Transport;
  /** The client's one concurrency limit, serving higher `priority` first. */
  queue: PQueue;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  onRetry: ((event: RetryEvent) => void) | undefined;
  stats: ClientStats;
}

type Outcome = { ok: true; body: JsonObject } | { ok: false; failure: Failure };

/** Thrown out of an attempt when the caller aborted: passed through untouched, never retried. */
class CallerAbort {
  readonly reason: unknown;
  constructor(reason: unknown) {
    this.reason = reason;
  }
}

/** The first `code` in an error's cause chain (`ECONNREFUSED`, `UND_ERR_SOCKET` …). */
function errorCode(error: unknown): string | undefined {
  for (let e = error, i = 0; e instanceof Error && i < 5; e = e.cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function thrown(
  error: unknown,
  ctx: RequestContext,
  timedOut: boolean,
  duringBody: boolean,
  host: string,
): Failure {
  const cause = sanitizeCause(error, ctx.token);
  if (timedOut) return { code: 'TIMEOUT', malformed: duringBody, cause, retryable: true };
  const code = errorCode(error);
  const suffix = code ? ` (${code})` : '';
  return {
    code: 'NETWORK',
    problem: duringBody
      ? `the connection broke while reading the response${suffix}`
      : `could not reach ${host}${suffix}`,
    malformed: duringBody,
    cause,
    retryable: true,
  };
}

function statusFailure(
  status: number,
  text: string,
  answer: HttpAnswer,
  ctx: RequestContext,
): Failure {
  const raw = errorDetail(text);
  const detail = raw === undefined ? undefined : redact(raw, ctx.token);
  const retryAfter = parseRetryAfter(answer.header('retry-after'), ctx.now());
  if (status >= 300 && status < 400) {
    const location = answer.header('location');
    return {
      code: 'BAD_RESPONSE',
      status,
      location: location ? redact(stripToken(location), ctx.token) : '(no Location)',
      retryable: false,
    };
  }
  if (status === 401) return { code: 'AUTH', status, detail, retryable: false };
  if (status === 403) return { code: 'FORBIDDEN', status, detail, retryable: false };
  if (status === 404) return { code: 'NOT_FOUND', status, detail, retryable: false };
  if (status === 408) return { code: 'TIMEOUT', status, detail, retryAfter, retryable: true };
  if (status === 429) return { code: 'QUOTA', status, detail, retryAfter, retryable: false };
  if (status >= 500) return { code: 'SERVER', status, detail, retryAfter, retryable: true };
  return { code: 'BAD_REQUEST', status, detail, retryable: false };
}

/** Counts the HTTP requests of one logical operation (a listing), retries included. */
export interface Tally {
  requests: number;
}

/** One HTTP exchange: the status, headers and body bytes, or what failed on the way. */
type Exchange =
  | { ok: true; answer: HttpAnswer; bytes: ArrayBuffer }
  | { ok: false; failure: Failure };

/** The HTTP part of one attempt, run inside the concurrency limit. */
async function exchange(
  target: RequestTarget,
  ctx: RequestContext,
  signal: AbortSignal | undefined,
  tally: Tally | undefined,
): Promise<Exchange> {
  if (signal?.aborted) throw new CallerAbort(signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeout);
  const unlisten = signal ? listen(signal, () => controller.abort()) : undefined;
  const host = new URL(target.url).host;
  ctx.stats.requests++;
  if (tally) tally.requests++;
  try {
    let answer: HttpAnswer;
    try {
      answer = await ctx.transport(target.url, controller.signal, ctx.maxBytes);
    } catch (error) {
      if (signal?.aborted) throw new CallerAbort(signal.reason);
      return { ok: false, failure: thrown(error, ctx, timedOut, false, host) };
    }
    try {
      const bytes = await answer.body();
      ctx.stats.bytes += bytes.byteLength;
      return { ok: true, answer, bytes };
    } catch (error) {
      if (signal?.aborted) throw new CallerAbort(signal.reason);
      if (error instanceof ResponseTooLarge) {
        const problem = `larger than maxResponseBytes (${error.limit} bytes; the API caps its answers at 10 MB), so it was not read further`;
        return { ok: false, failure: foreignBody(answer.status, problem) };
      }
      return { ok: false, failure: thrown(error, ctx, timedOut, true, host) };
    }
  } finally {
    clearTimeout(timer);
    unlisten?.();
  }
}

/**
 * Calls `onAbort` when `shared` aborts; returns what stops listening. Every request of a sync
 * waits on one caller's signal (in flight or before a retry), so none listens on it directly —
 * Node 22 warns past 10 listeners on a signal (MaxListenersExceededWarning) — but on a signal
 * derived from it, which adds no listener to its source. The listener must be removed: Node
 * keeps a derived signal that has one alive until it aborts.
 */
function listen(shared: AbortSignal, onAbort: () => void): () => void {
  const own = AbortSignal.any([shared]);
  own.addEventListener('abort', onAbort, { once: true });
  return () => own.removeEventListener('abort', onAbort);
}

/** What an exchange means: a status failure, or a body that is JSON in the envelope. */
function interpret(done: Exchange, ctx: RequestContext): Outcome {
  if (!done.ok) return done;
  const { answer, bytes } = done;
  const { status } = answer;
  if (status < 200 || status >= 300) {
    const text = new TextDecoder().decode(bytes);
    return { ok: false, failure: statusFailure(status, text, answer, ctx) };
  }
  const contentType = answer.header('content-type');
  const parsed = parseBody(new TextDecoder().decode(bytes), contentType);
  if (!parsed.ok) {
    const failure: Failure = {
      code: 'BAD_RESPONSE',
      status,
      problem: parsed.problem,
      malformed: true,
      truncated: parsed.truncated,
      blame: parsed.foreign ? 'foreign' : 'transit',
      retryable: true,
    };
    return { ok: false, failure };
  }
  // Every later stage walks content recursively; ButterCMS content is a few dozen levels deep.
  const problem = jsonDeeperThan(new Uint8Array(bytes), MAX_JSON_DEPTH)
    ? `JSON nested deeper than ${MAX_JSON_DEPTH} levels`
    : envelopeProblem(parsed.value);
  if (problem !== undefined) return { ok: false, failure: foreignBody(status, problem) };
  return { ok: true, body: parsed.value as JsonObject };
}

/** A retry for debug output: `GET /v2/posts/?page=3 failed (attempt 1: 503 Service Unavailable), retrying in 750 ms`. */
export function describeRetry(event: RetryEvent): string {
  const { status, code } = event.error;
  const why = status === undefined ? code : statusLine(status);
  return `${event.endpoint} failed (attempt ${event.attempt}: ${why}), retrying in ${event.delay} ms`;
}

/** A body that parsed but is not what the API answers: retrying cannot help. */
function foreignBody(status: number, problem: string): Failure {
  return { code: 'BAD_RESPONSE', status, problem, blame: 'foreign', retryable: false };
}

/**
 * Waits before a retry; stops when `signal` aborts, also with an injected sleep that does not
 * watch it (the default one does, and clears its timer).
 */
function wait(ctx: RequestContext, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return ctx.sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const unlisten = listen(signal, () => reject(signal.reason));
    ctx.sleep(ms, signal).then(resolve, reject).finally(unlisten);
  });
}

/**
 * How a request waits for the concurrency limit. Requests that start or continue a chain — a
 * listing's first page, the next page of a followed chain, a single GET — go first, so every
 * listing learns its length early and the limit never runs dry waiting on a chain at the end.
 * The `bulk` pages a listing fetches all at once after its first come after them, longer
 * listings' first: the longest work is never left for last, and what completes last (and is
 * stored after the crawl) is short.
 */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Counts the requests into the listing's tally. */
  tally?: Tally | undefined;
  /** A bulk page of a listing this many items long (`meta.count`). */
  bulk?: number | undefined;
}

/**
 * Performs the request with retries: network errors, timeouts, 5xx (and 408) and unparseable
 * bodies get exponential backoff with jitter (a 5xx's `Retry-After` is honoured when ≤
 * `maxRetryAfter`); a 429 is retried only after a short explicit `Retry-After`; every other
 * failure — and a caller's abort — ends at once. Each retry is taken from the client's retry
 * budget; once it is spent, the failure is final.
 */
export async function request(
  target: RequestTarget,
  ctx: RequestContext,
  { signal, tally, bulk }: RequestOptions = {},
): Promise<JsonObject> {
  for (let n = 1; ; n++) {
    let outcome: Outcome;
    try {
      const done = await ctx.queue.add(() => exchange(target, ctx, signal, tally), {
        priority: bulk ?? Number.POSITIVE_INFINITY,
      });
      outcome = interpret(done, ctx);
    } catch (error) {
      if (error instanceof CallerAbort) throw error.reason;
      ctx.stats.failures++;
      throw error;
    }
    if (outcome.ok) {
      ctx.budget.succeeded();
      return outcome.body;
    }
    const f = outcome.failure;
    const canRetry = n <= ctx.retries;
    let delay: number | undefined;
    if (f.code === 'QUOTA') {
      if (canRetry && quotaDecision(f.retryAfter, ctx.maxRetryAfter) === 'wait') {
        delay = retryDelay(n, { retryAfter: f.retryAfter });
      }
    } else if (f.retryable && canRetry) {
      const honoured =
        f.retryAfter !== undefined && f.retryAfter <= ctx.maxRetryAfter ? f.retryAfter : undefined;
      delay = retryDelay(n, { retryAfter: honoured, random: ctx.random });
    }
    const error = failureToError(f, {
      endpoint: target.endpoint,
      attempts: n,
      token: ctx.token,
      timeout: ctx.timeout,
      maxRetryAfter: ctx.maxRetryAfter,
      now: ctx.now(),
    });
    if (delay !== undefined && !ctx.budget.take(f.code === 'TIMEOUT')) {
      ctx.budget.explain(error);
      delay = undefined;
    }
    if (delay === undefined) {
      ctx.stats.failures++;
      throw error;
    }
    ctx.stats.retries++;
    try {
      ctx.onRetry?.({ endpoint: target.endpoint, attempt: n, delay, error });
    } catch {
      // A failing progress listener must not change the outcome of the request.
    }
    await wait(ctx, delay, signal);
  }
}
