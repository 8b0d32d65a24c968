/**
 * What went wrong with one attempt (plain data, decided on by the retry loop), and the error the
 * caller finally gets for it: the message names the endpoint, status, the API's `detail`, the
 * attempts, and what to do.
 */
import { STATUS_CODES } from 'node:http';
import { redact } from '../redact.ts';
import { describeDuration } from '../toolkit/format.ts';
import {
  type ApiError,
  type ApiErrorCode,
  type ApiErrorDetails,
  AuthError,
  BadRequestError,
  BadResponseError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  QuotaError,
  ServerError,
  TimeoutError,
} from './errors.ts';
import { QUOTA_RETRY_AFTER } from './retry.ts';

export interface Failure {
  code: ApiErrorCode;
  status?: number;
  /** The API's `detail`, already redacted. */
  detail?: string;
  /** BAD_RESPONSE / NETWORK: what was wrong, in words. */
  problem?: string;
  /** Seconds from `Retry-After`. */
  retryAfter?: number;
  /** BAD_RESPONSE: unparseable (not a wrong shape); TIMEOUT/NETWORK: broke mid-body. */
  malformed?: boolean;
  /** BAD_RESPONSE: cut off mid-document. */
  truncated?: boolean;
  /**
   * BAD_RESPONSE: whose the fault is likely to be: the way (`transit`: corrupted on the network
   * or a proxy), or the answer itself (`foreign`: not a ButterCMS answer — an HTML page, a body
   * nested absurdly deep or far too large, items that are not entities). Cut-off bodies are
   * `truncated`.
   */
  blame?: 'transit' | 'foreign';
  /** A redirect's target, token stripped. */
  location?: string;
  /** Sanitized (see `sanitizeCause`). */
  cause?: Error;
  retryable: boolean;
}

export interface FailureContext {
  endpoint: string;
  attempts: number;
  token: string;
  timeout: number;
  maxRetryAfter: number;
  now: number;
}

/** An error status with its reason phrase (`404 Not Found`); any other status stays a number. */
export function statusLine(status: number): string {
  const text = status >= 400 ? STATUS_CODES[status] : undefined;
  return text ? `${status} ${text}` : String(status);
}

const STATUS_PAGE = 'https://status.buttercms.com';

export function failureToError(f: Failure, ctx: FailureContext): ApiError {
  const { endpoint, attempts } = ctx;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const said = f.detail ? `: "${f.detail}"` : '';
  const status = f.status === undefined ? '' : statusLine(f.status);
  const details: ApiErrorDetails = {
    endpoint,
    status: f.status,
    detail: f.detail,
    attempts,
    cause: f.cause,
  };
  const msg = (text: string) => redact(text, ctx.token);
  switch (f.code) {
    case 'AUTH':
      return new AuthError(
        msg(`${endpoint} → ${status}${said}. ButterCMS rejected the API token.`),
        {
          ...details,
          hint: 'Check the token (`token` option or BUTTERCMS_API_TOKEN): use the read API token from ButterCMS → Settings → API Tokens, for this account.',
        },
      );
    case 'FORBIDDEN':
      return new ForbiddenError(
        msg(`${endpoint} → ${status}${said}. The token is valid but not allowed this request.`),
        {
          ...details,
          hint: 'Check the collection filter/order field names, that the token belongs to the organization that owns this content, and that the feature is enabled for your plan.',
        },
      );
    case 'NOT_FOUND':
      return new NotFoundError(msg(`${endpoint} → ${status}${said}.`), {
        ...details,
        hint: 'Check the page type, slug, collection key and locale in your options: they must exist in ButterCMS (names are case-sensitive).',
      });
    case 'BAD_REQUEST':
      return new BadRequestError(
        msg(`${endpoint} → ${status}${said}. ButterCMS rejected the request parameters.`),
        {
          ...details,
          hint: 'Check the parameters: each locale must be configured in ButterCMS (Settings → Localization), `levels` must be 1–5.',
        },
      );
    case 'QUOTA':
      return quotaError(f, ctx, details, said);
    case 'SERVER':
      return new ServerError(
        msg(`${endpoint} → ${status}${tries}${said}. ButterCMS had a server error.`),
        {
          ...details,
          hint: `Retry later and check ${STATUS_PAGE}; contact support@buttercms.com if it persists.`,
        },
      );
    case 'BAD_RESPONSE':
      if (f.location !== undefined) {
        return new BadResponseError(
          msg(
            `${endpoint} → ${status} redirect to ${f.location}; redirects are not followed (each one costs an extra API call).`,
          ),
          {
            ...details,
            hint: 'Set `apiUrl` to the address redirected to, ending in /v2 (default https://api.buttercms.com/v2).',
          },
        );
      }
      return new BadResponseError(
        msg(
          `${endpoint} → ${status}${tries}, but the body is ${f.problem ?? 'not a ButterCMS response'}.`,
        ),
        { ...details, malformed: f.malformed, truncated: f.truncated, hint: badBodyHint(f) },
      );
    case 'TIMEOUT':
      return new TimeoutError(
        msg(`${endpoint} timed out: no complete response within ${ctx.timeout} ms${tries}.`),
        {
          ...details,
          hint: 'Raise `timeout`, or lower `pageSize` or `levels` so responses get smaller; check the connection to ButterCMS.',
        },
      );
    case 'NETWORK':
      return new NetworkError(msg(`${endpoint} failed${tries}: ${f.problem ?? 'network error'}.`), {
        ...details,
        incomplete: f.malformed,
        hint: `Check the network connection, any proxy, and \`apiUrl\`; if ButterCMS is down, see ${STATUS_PAGE}.`,
      });
  }
}

function badBodyHint(f: Failure): string {
  if (f.truncated) {
    return 'The response was cut short on the way (network, proxy, or a response near the API’s 10 MB limit): retry, or lower `pageSize` or `levels`.';
  }
  if (f.blame === 'transit') {
    return 'The response was corrupted on the way: retry; if it keeps happening, check the network and any proxy between here and ButterCMS.';
  }
  return 'This is not a ButterCMS Read API answer: check `apiUrl` (it must end in /v2, e.g. https://api.buttercms.com/v2) and any proxy in between (a login or error page, say).';
}

function quotaError(
  f: Failure,
  ctx: FailureContext,
  details: ApiErrorDetails,
  said: string,
): QuotaError {
  if (f.retryAfter !== undefined && f.retryAfter < QUOTA_RETRY_AFTER) {
    return throttleError(f.retryAfter, ctx, details, said);
  }
  const head = `${ctx.endpoint} → 429 Too Many Requests${said}. The ButterCMS plan's monthly API-call quota is used up`;
  let when: string;
  let reset: string;
  if (f.retryAfter === undefined) {
    when = '; ButterCMS did not say when it resets (no Retry-After header)';
    reset = 'Wait for the quota to reset (usually at the start of the next billing month)';
  } else {
    const at = new Date(ctx.now + f.retryAfter * 1000).toISOString();
    when = `; it resets at ${at} (in ${describeDuration(f.retryAfter)}${f.retryAfter > ctx.maxRetryAfter ? `, longer than maxRetryAfter = ${ctx.maxRetryAfter} s, so not waited for` : ''})`;
    reset = `Wait until ${at}`;
  }
  return new QuotaError(redact(`${head}${when}.`, ctx.token), {
    ...details,
    retryAfter: f.retryAfter,
    now: ctx.now,
    hint: `${reset} or upgrade the ButterCMS plan; builds can keep using the last synced snapshot. To spend fewer calls: sync less often, and limit \`locales\`, \`pageTypes\` and \`collections\`.`,
  });
}

/** A 429 with a short `Retry-After`: too many requests for now, not the monthly quota. */
function throttleError(
  retryAfter: number,
  ctx: FailureContext,
  details: ApiErrorDetails,
  said: string,
): QuotaError {
  const wait = describeDuration(retryAfter);
  const when =
    retryAfter > ctx.maxRetryAfter
      ? `asked to wait ${wait} (Retry-After), longer than maxRetryAfter = ${ctx.maxRetryAfter} s, so not waited for`
      : ctx.attempts > 1
        ? `still refused after ${ctx.attempts} attempts, waiting as Retry-After asked (last: ${wait})`
        : `asked to retry in ${wait} (Retry-After), but retries are off`;
  return new QuotaError(
    redact(
      `${ctx.endpoint} → 429 Too Many Requests${said}. ButterCMS is throttling the requests (a short Retry-After: not the monthly quota); it ${when}.`,
      ctx.token,
    ),
    {
      ...details,
      retryAfter,
      now: ctx.now,
      throttled: true,
      hint: 'Sync again in a moment, or with fewer requests at once (`concurrency`, --concurrency); raise `maxRetryAfter` to wait for longer Retry-After answers.',
    },
  );
}
