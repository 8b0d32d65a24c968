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
  #outcome: string | undefined;

  constructor(message: string, options: ButterErrorOptions) {
    super(fullMessage(message, undefined, options.hint), { cause: options.cause });
    this.code = options.code;
    this.hint = options.hint;
    this.#summary = message;
  }

  /**
   * What failed, as given (and with `addDetail`s), without the prefix, the outcome and the hint
   * (to rebuild the error elsewhere).
   */
  get summary(): string {
    return this.#summary;
  }

  /** What the failed operation left on disk, when it says (a sync's: see `sync/commit.ts`). */
  get outcome(): string | undefined {
    return this.#outcome;
  }

  /**
   * Adds a sentence to the message, before the hint: what a caller up the stack knows and the
   * place that failed did not (the page sizes a listing was tried at, say).
   */
  addDetail(sentence: string): this {
    this.#summary = `${this.#summary} ${sentence}`;
    this.message = fullMessage(this.#summary, this.#outcome, this.hint);
    return this;
  }

  /** Says, once, what the failed operation left on disk (the message's last line). */
  tellOutcome(sentence: string): this {
    if (this.#outcome !== undefined) return this;
    this.#outcome = sentence;
    this.message = fullMessage(this.#summary, sentence, this.hint);
    return this;
  }
}

function fullMessage(
  summary: string,
  outcome: string | undefined,
  hint: string | undefined,
): string {
  return `[buttercms] ${summary}${hint ? `\n  → ${hint}` : ''}${outcome ? `\n  ${outcome}` : ''}`;
}

/** Bad options or configuration: names the field and says what is expected. */
export class OptionsError extends ButterError {
  override name = 'OptionsError';
  readonly field: string;

  constructor(
    field: string,
    problem: string,
    hint?: string,
    message = `Invalid option \`${field}\`: ${problem}`,
  ) {
    super(message, { code: 'CONFIG', hint });
    this.field = field;
  }
}

/**
 * A config file that cannot be used (unreadable, a syntax error, an unknown option): the message
 * starts with the file, and its line and column when known (`butter.config.ts:4:3: …`).
 */
export class ConfigFileError extends OptionsError {
  override name = 'ConfigFileError';
  readonly file: string;

  constructor(file: string, problem: string, options: { field?: string; hint?: string } = {}) {
    super(options.field ?? 'config', problem, options.hint, `${file}: ${problem}`);
    this.file = file;
  }
}
