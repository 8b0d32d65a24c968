/**
 * Rejections of the local reader, shaped like the official SDK's: `message` ends with
 * `[detail]: <detail> (<status>)` and `cause` carries `{ data: {detail}, status, statusText,
 * params, type, url }`, so code that inspects `error.cause.status` works unchanged.
 */
import { ButterError, type ButterErrorCode } from '../errors.ts';

// The reader runs in page bundles, so no `node:http` STATUS_CODES: these are all it answers.
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
};

export interface ReaderErrorCause {
  data: { detail: string };
  status: number;
  statusText: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  type: string;
  url: string;
}

export class ReaderError extends ButterError {
  override name = 'ReaderError';
  readonly status: number;
  override readonly cause: ReaderErrorCause;

  constructor(
    code: ButterErrorCode,
    status: number,
    detail: string,
    request: { type: string; url: string; params: Record<string, string> },
    hint?: string,
  ) {
    const cause: ReaderErrorCause = {
      data: { detail },
      status,
      statusText: STATUS_TEXT[status] ?? 'Error',
      headers: {},
      params: request.params,
      type: request.type,
      url: request.url,
    };
    super(`[detail]: ${detail} (${status})`, { code, hint, cause });
    this.status = status;
    this.cause = cause;
  }
}

/** A request the API would answer with an error status (404, 400, 403). */
export class HttpLikeError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly hint: string | undefined;
  constructor(status: number, detail: string, hint?: string) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.hint = hint;
  }
}

export const notFound = (detail = 'Not found.', hint?: string) =>
  new HttpLikeError(404, detail, hint);
export const badRequest = (detail: string, hint?: string) => new HttpLikeError(400, detail, hint);
export const forbidden = (detail: string, hint?: string) => new HttpLikeError(403, detail, hint);

/** `levels` deeper than the snapshot holds: not an API error, a sync setting to change. */
export function levelsTooDeep(asked: number, synced: number): ButterError {
  return new ButterError(
    `levels=${asked} asked, but the snapshot was synced with levels=${synced}`,
    {
      code: 'SNAPSHOT',
      hint: `Sync with \`levels: ${asked}\` (or more) to read references ${asked} levels deep, or pass \`levels\` ≤ ${synced}.`,
    },
  );
}
