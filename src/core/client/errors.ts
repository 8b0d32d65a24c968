/**
 * Errors of the API client. Every one names the endpoint (method, path and query, never the
 * token), the HTTP status and the API's `detail` when there was a response, how many attempts
 * were made, and what to do. `cause` chains only hold sanitized copies (see `sanitizeCause`), so
 * nothing from fetch's own error text can carry an `auth_token` URL.
 */
import { ButterError, type ButterErrorCode } from '../errors.ts';
import { redact } from '../redact.ts';

export type ApiErrorCode = Extract<
  ButterErrorCode,
  | 'AUTH'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'QUOTA'
  | 'SERVER'
  | 'BAD_RESPONSE'
  | 'TIMEOUT'
  | 'NETWORK'
>;

export interface ApiErrorDetails {
  /** `GET /v2/pages/*\/?levels=1` — the request without the token. */
  endpoint: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The API's `detail` (or a short excerpt of a non-JSON error body). */
  detail?: string;
  /** HTTP requests made for this call, retries included. */
  attempts?: number;
  hint?: string;
  cause?: unknown;
}

export class ApiError extends ButterError {
  override name = 'ApiError';
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly attempts: number;

  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails) {
    super(message, { code, hint: details.hint, cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.detail = details.detail;
    this.attempts = details.attempts ?? 1;
  }
}

/** 401: the token is missing, wrong or inactive. */
export class AuthError extends ApiError {
  override name = 'AuthError';
  constructor(message: string, details: ApiErrorDetails) {
    super('AUTH', message, details);
  }
}
/** 403: valid token, request not permitted (other organization, bad collection filter/order…). */
export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError';
  constructor(message: string, details: ApiErrorDetails) {
    super('FORBIDDEN', message, details);
  }
}
/** 404: unknown page type, slug, collection key or item. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  constructor(message: string, details: ApiErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}
/** 400, 405 and other 4xx: invalid parameters (locale, levels…). */
export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
  constructor(message: string, details: ApiErrorDetails) {
    super('BAD_REQUEST', message, details);
  }
}
/**
 * 429: the plan's monthly API-call quota is used up (no `Retry-After`, or a long one), or the
 * requests are throttled (`throttled`: a short `Retry-After`).
 */
export class QuotaError extends ApiError {
  override name = 'QuotaError';
  /** Seconds until the quota resets, from `Retry-After`; undefined when the API did not say. */
  readonly retryAfter: number | undefined;
  /** When the quota resets (or the throttle lifts), from `Retry-After`. */
  readonly resetAt: Date | undefined;
  /** A short `Retry-After`: too many requests for now, not the monthly quota. */
  readonly throttled: boolean;

  constructor(
    message: string,
    details: ApiErrorDetails & { retryAfter?: number; now?: number; throttled?: boolean },
  ) {
    super('QUOTA', message, details);
    this.throttled = details.throttled ?? false;
    this.retryAfter = details.retryAfter;
    this.resetAt =
      details.retryAfter === undefined
        ? undefined
        : new Date((details.now ?? Date.now()) + details.retryAfter * 1000);
  }
}
/** 5xx after every retry. */
export class ServerError extends ApiError {
  override name = 'ServerError';
  constructor(message: string, details: ApiErrorDetails) {
    super('SERVER', message, details);
  }
}
/** Non-JSON, truncated, or JSON without the `{data, meta?}` envelope; or a redirect. */
export class BadResponseError extends ApiError {
  override name = 'BadResponseError';
  /** The body could not be parsed at all (non-JSON or cut short), as opposed to a wrong shape. */
  readonly malformed: boolean;
  /** The body was cut off mid-document (or empty): a smaller response may get through. */
  readonly truncated: boolean;

  constructor(
    message: string,
    details: ApiErrorDetails & { malformed?: boolean; truncated?: boolean },
  ) {
    super('BAD_RESPONSE', message, details);
    this.malformed = details.malformed ?? false;
    this.truncated = details.truncated ?? false;
  }
}
/** No complete response within the per-request timeout, after every retry. */
export class TimeoutError extends ApiError {
  override name = 'TimeoutError';
  constructor(message: string, details: ApiErrorDetails) {
    super('TIMEOUT', message, details);
  }
}
/** The connection failed or broke, after every retry. */
export class NetworkError extends ApiError {
  override name = 'NetworkError';
  /** The response had started but broke off while its body was read. */
  readonly incomplete: boolean;

  constructor(message: string, details: ApiErrorDetails & { incomplete?: boolean }) {
    super('NETWORK', message, details);
    this.incomplete = details.incomplete ?? false;
  }
}

/**
 * A copy of an error chain that is safe to keep as `cause`: name, message, `code` and stack of
 * each level, with the token and any `auth_token=` masked. Undici's errors can carry the request
 * URL; the originals are never kept.
 */
export function sanitizeCause(error: unknown, token: string, depth = 0): Error | undefined {
  if (error === undefined || error === null || depth > 4) return undefined;
  if (!(error instanceof Error)) return new Error(redact(String(error), token));
  const copy = new Error(redact(error.message, token), {
    cause: sanitizeCause(error.cause, token, depth + 1),
  });
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack, token);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  return copy;
}

/**
 * Thrown by a listing's `extract` (see `ListAllOptions`) when the answer holds
 * something other than entities where its items are (`[1, "two", null]`); its message says
 * what, completing "the body is …". The client turns it into a `BadResponseError` that names
 * the endpoint.
 */
export class ListingShapeProblem extends Error {
  override name = 'ListingShapeProblem';
}
