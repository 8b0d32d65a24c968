/**
 * One error base class for everything the plugin reports: a stable `code` to branch on, a
 * `hint` that says what to do, and the `cause`. Messages never contain the API token
 * (see `redact`), so they are safe to print, log and snapshot.
 */
export type ButterErrorCode =
  | 'CONFIG'
  | 'AUTH'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'QUOTA'
  | 'SERVER'
  | 'BAD_RESPONSE'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'SNAPSHOT'
  | 'SYNC'
  | 'MEDIA'
  | 'TYPES';

export interface ButterErrorOptions {
  code: ButterErrorCode;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

export class ButterError extends Error {
  override name = 'ButterError';
  readonly code: ButterErrorCode;
  readonly hint: string | undefined;
  #summary: string;

  constructor(message: string, options: ButterErrorOptions) {
    super(fullMessage(message, options.hint), { cause: options.cause });
    this.code = options.code;
    this.hint = options.hint;
    this.#summary = message;
  }

  /** The message as given, without the prefix and the hint (to rebuild the error elsewhere). */
  get summary(): string {
    return this.#summary;
  }

  /**
   * Adds a sentence to the message, before the hint: what a caller up the stack knows and the
   * place that failed did not (the page sizes a listing was tried at, what was left on disk).
   */
  addDetail(sentence: string): this {
    this.#summary = `${this.#summary} ${sentence}`;
    this.message = fullMessage(this.#summary, this.hint);
    return this;
  }
}

function fullMessage(summary: string, hint: string | undefined): string {
  return `[buttercms] ${summary}${hint ? `\n  → ${hint}` : ''}`;
}

/** Bad options or configuration: names the field and says what is expected. */
export class OptionsError extends ButterError {
  override name = 'OptionsError';
  readonly field: string;

  constructor(field: string, problem: string, hint?: string) {
    super(`Invalid option \`${field}\`: ${problem}`, { code: 'CONFIG', hint });
    this.field = field;
  }
}
