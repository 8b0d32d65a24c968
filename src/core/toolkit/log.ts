/**
 * The one logger every stage and host speaks: the sync, the watch loop, the CLI and each
 * integration. `debug` lines are for whoever chases a problem (retries: which request, why,
 * the delay); they are shown only when asked for, with `DEBUG=unplugin-buttercms` or the CLI's
 * `--verbose`. Nothing logged ever carries the API token (the callers redact).
 */
export interface Logger {
  info(message: string): void;
  /**
   * `topic`: what the warning is about, the same from one sync to the next while the problem
   * lasts (a failing media URL, whatever the failure's details): a host that syncs again and
   * again (watch mode) shows each topic once.
   */
  warn(message: string, topic?: string): void;
  error(message: string): void;
  /** Only set when debug output is on (`debugEnabled`). */
  debug?(message: string): void;
}

/** The name to list in `DEBUG` (comma or space separated, `*` wildcards, as the `debug` package reads it). */
export const DEBUG_NAME = 'unplugin-buttercms';

/** Whether `DEBUG` in `env` turns on our debug lines (`unplugin-buttercms`, `unplugin-*`, `*`). */
export function debugEnabled(env: Record<string, string | undefined>): boolean {
  let enabled = false;
  for (const pattern of (env.DEBUG ?? '').split(/[\s,]+/)) {
    if (pattern === '') continue;
    const skip = pattern.startsWith('-');
    const glob = skip ? pattern.slice(1) : pattern;
    const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    if (new RegExp(`^${escaped}$`).test(DEBUG_NAME)) {
      if (skip) return false;
      enabled = true;
    }
  }
  return enabled;
}

/** The console as a logger, with the house prefix; `debug` (to stderr) when `env` asks for it. */
export function consoleLogger(env: Record<string, string | undefined>): Logger {
  return {
    info: (m) => console.log(`[buttercms] ${m}`),
    warn: (m) => console.warn(`[buttercms] ${m}`),
    error: (m) => console.error(`[buttercms] ${m}`),
    ...(debugEnabled(env)
      ? { debug: (m: string) => console.error(`[buttercms] debug: ${m}`) }
      : {}),
  };
}
