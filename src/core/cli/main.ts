/**
 * `butter-sync`: flags + config file + environment → `sync()`, with progress, a summary and an
 * exit code: 0 success, 1 the sync failed (the message says what is on disk), 2 bad usage or
 * configuration. Nothing printed ever contains the token.
 */
import { loadConfig } from '../config.ts';
import { ButterError, OptionsError } from '../errors.ts';
import type { Options } from '../options.ts';
import { redact } from '../redact.ts';
import { readManifest } from '../snapshot/index.ts';
import { sync } from '../sync/index.ts';
import { type CliArgs, FLAG_OF, parseCliArgs } from './args.ts';
import { HELP } from './help.ts';
import { createReporter, type Output } from './reporter.ts';

export interface CliIo {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Whether stderr is a terminal: live progress instead of plain lines. */
  tty: boolean;
  version: string;
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function main(io: CliIo): Promise<number> {
  const tokens = new Set<string>();
  const envToken = io.env.BUTTERCMS_API_TOKEN;
  if (envToken) tokens.add(envToken.trim());
  tokenFromArgv(io.argv, tokens);
  const safe = (text: string) => {
    let out = redact(text);
    for (const token of tokens) out = redact(out, token);
    return out;
  };
  const json = io.argv.includes('--json');

  let args: CliArgs;
  let options: Options;
  let configFile: string | undefined;
  try {
    args = parseCliArgs(io.argv, io.cwd);
    if (args.command === 'help') {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (args.command === 'version') {
      io.stdout.write(`${io.version}\n`);
      return EXIT_OK;
    }
    const config = await loadConfig(io.cwd, args.config);
    if (typeof config.options.token === 'string') tokens.add(config.options.token.trim());
    options = { root: io.cwd, ...config.options, ...args.options };
    configFile = config.path;
  } catch (error) {
    return fail(error, { json, safe, io });
  }

  const reporter = createReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    tty: io.tty,
    json: args.json,
    quiet: args.quiet,
    redact: safe,
  });
  try {
    if (args.command === 'types') {
      const { runTypesCommand } = await import('./types-command.ts');
      const report = await runTypesCommand(options, io.env);
      if (args.json) io.stdout.write(`${JSON.stringify({ ok: true, ...report })}\n`);
      else if (!args.quiet) io.stdout.write(safe(`${report.message}\n`));
      return EXIT_OK;
    }
    const result = await sync(options, {
      env: io.env,
      signal: io.signal,
      onProgress: (event) => reporter.event(event),
      logger: {
        warn: (message) => reporter.warn(message),
        info: (message) => reporter.info(message),
      },
    });
    reporter.summary(result);
  } catch (error) {
    reporter.finish();
    const code = fail(error, { json: args.json, safe, io });
    // Watch mode goes on with the previous snapshot when there is one.
    if (!args.watch || code === EXIT_USAGE || io.signal?.aborted) return code;
    if (!(await hasSnapshot(options, io.env))) return code;
  }
  if (!args.watch) return EXIT_OK;
  try {
    const { runWatch } = await import('./watch-command.ts');
    await runWatch(
      options,
      {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        signal: io.signal,
        safe,
        quiet: args.quiet,
      },
      {
        webhookPort: args.webhookPort,
        configFile,
        async reloadOptions() {
          const config = await loadConfig(io.cwd, args.config);
          if (typeof config.options.token === 'string') tokens.add(config.options.token.trim());
          return { root: io.cwd, ...config.options, ...args.options };
        },
      },
    );
    return EXIT_OK;
  } catch (error) {
    return fail(error, { json: args.json, safe, io });
  }
}

async function hasSnapshot(
  options: Options,
  env: Record<string, string | undefined>,
): Promise<boolean> {
  try {
    const { resolveForSnapshot } = await import('../watch/prepare.ts');
    const { resolved } = resolveForSnapshot(options, env);
    return (await readManifest(resolved.out)) !== undefined;
  } catch {
    return false;
  }
}

function fail(
  error: unknown,
  ctx: { json: boolean; safe(text: string): string; io: CliIo },
): number {
  const usage = error instanceof OptionsError;
  const code = usage ? EXIT_USAGE : EXIT_FAILED;
  let message: string;
  if (error instanceof ButterError) {
    message = error.message;
    // A failed sync's message ends with what it left on disk (the sync knows).
    if (usage) {
      const flag = FLAG_OF[error.field];
      if (flag && !message.includes(flag))
        message = `${message}\n  (set with ${flag} or \`${error.field}\` in the config file)`;
    }
  } else {
    message = `[buttercms] unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  message = ctx.safe(message);
  ctx.io.stderr.write(`${message}\n`);
  if (ctx.json) {
    const payload = {
      ok: false,
      exitCode: code,
      error: {
        code: error instanceof ButterError ? error.code : 'INTERNAL',
        ...(error instanceof OptionsError ? { field: error.field } : {}),
        message,
      },
    };
    ctx.io.stdout.write(`${ctx.safe(JSON.stringify(payload))}\n`);
  }
  return code;
}

/** Collects `--token x` / `--token=x` before parsing, so even a usage error cannot echo it. */
function tokenFromArgv(argv: readonly string[], into: Set<string>) {
  argv.forEach((arg, i) => {
    if (arg === '--token' && argv[i + 1]) into.add(argv[i + 1]!.trim());
    else if (arg.startsWith('--token=')) into.add(arg.slice('--token='.length).trim());
  });
}
