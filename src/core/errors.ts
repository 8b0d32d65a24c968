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
  /** The message as given, without the prefix and the hint (to rebuild the error elsewhere). */
  readonly summary: string;

  constructor(message: string, options: ButterErrorOptions) {
    super(`[buttercms] ${message}${options.hint ? `\n  → ${options.hint}` : ''}`, {
      cause: options.cause,
    });
    this.code = options.code;
    this.hint = options.hint;
    this.summary = message;
  }
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
