/**
 * `butter-sync`: flags + config file + environment → a sync under the build plugins' policy
 * (`prepareSnapshot`: `maxAge`, `offline`), with progress, a summary and an exit code: 0
 * success (or the snapshot kept), 1 the sync failed (the message says what is on disk), 2 bad
 * usage or configuration. Nothing printed ever contains the token.
 */
import { prepareSnapshot } from '../build-start.ts';
import { loadConfig } from '../config.ts';
import { ButterError, ConfigFileError, OptionsError } from '../errors.ts';
import { type Options, resolveSnapshotOptions, type SnapshotOptions } from '../options.ts';
import { redact } from '../redact.ts';
import { readManifest } from '../snapshot/index.ts';
import { ageOf } from '../toolkit/age.ts';
import { describeAge } from '../toolkit/format.ts';
import { debugEnabled } from '../toolkit/log.ts';
import { type CliArgs, parseCliArgs } from './args.ts';
import { FLAG_OF } from './flags.ts';
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
  /** Width of that terminal now (the live line fits in it). @default 80 */
  columns?: () => number | undefined;
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
  let resolved: SnapshotOptions;
  try {
    // Options are checked before anything runs, naming the config file a bad value is in.
    resolved = resolveSnapshotOptions(options, io.env);
    if (args.command === 'cache-key') {
      const { cacheKey } = await import('../sync/cache-key.ts');
      io.stdout.write(`${await cacheKey(resolved)}\n`);
      return EXIT_OK;
    }
  } catch (error) {
    return fail(error, { json: args.json, safe, io, configFile });
  }

  const reporter = createReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    tty: io.tty,
    columns: io.columns,
    json: args.json,
    quiet: args.quiet,
    redact: safe,
  });
  const debug = args.verbose === true || debugEnabled(io.env);
  /** What the first sync warned about (see `Logger.warn`): watching does not repeat it. */
  const warned: string[] = [];
  try {
    if (args.command === 'types') {
      const { runTypesCommand } = await import('./types-command.ts');
      const report = await runTypesCommand(resolved);
      if (args.json) io.stdout.write(`${JSON.stringify({ ok: true, ...report })}\n`);
      else if (!args.quiet) io.stdout.write(safe(`${report.message}\n`));
      if (report.warning) reporter.warn(report.warning);
      return EXIT_OK;
    }
    // The build plugins' policy: reuse a snapshot younger than `maxAge`, else sync; when the
    // API cannot be reached, go on with the snapshot (`offline: 'fallback'`) and say how old.
    const prepared = await prepareSnapshot(resolved, {
      signal: io.signal,
      onProgress: (event) => reporter.event(event),
      log: {
        info: (message) => reporter.info(message),
        warn: (message, topic) => {
          warned.push(topic ?? message);
          reporter.warn(message);
        },
        error: (message) => reporter.warn(message),
        ...(debug ? { debug: (message: string) => reporter.debug(message) } : {}),
      },
      report: (result) => reporter.summary(result),
    });
    if (prepared.source !== 'synced') reporter.kept(prepared);
  } catch (error) {
    reporter.finish();
    const snapshot = await describeSnapshot(resolved);
    const code = fail(error, { json: args.json, safe, io, configFile, snapshot });
    // Watch mode goes on with the previous snapshot when there is one.
    if (!args.watch || code === EXIT_USAGE || io.signal?.aborted || !snapshot) return code;
  }
  if (!args.watch) return EXIT_OK;
  try {
    const { runWatch } = await import('./watch-command.ts');
    await runWatch(
      resolved,
      {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        signal: io.signal,
        safe,
        quiet: args.quiet,
        debug,
      },
      {
        webhookPort: args.webhookPort,
        configFile,
        shownWarnings: warned,
        async reloadOptions() {
          const config = await loadConfig(io.cwd, args.config);
          if (typeof config.options.token === 'string') tokens.add(config.options.token.trim());
          return { root: io.cwd, ...config.options, ...args.options };
        },
      },
    );
    return EXIT_OK;
  } catch (error) {
    return fail(error, { json: args.json, safe, io, configFile });
  }
}

/** `the snapshot in <out> (synced 3 h ago)`, or undefined when there is none. */
async function describeSnapshot(options: SnapshotOptions): Promise<string | undefined> {
  const manifest = await readManifest(options.out).catch(() => undefined);
  if (!manifest) return undefined;
  const age = describeAge(ageOf(manifest.syncedAt, Date.now()));
  return `the snapshot in ${options.out} (synced ${age} ago)`;
}

function fail(
  error: unknown,
  ctx: {
    json: boolean;
    safe(text: string): string;
    io: CliIo;
    /** The config file the options came from. */
    configFile?: string | undefined;
    /** After a failed sync: the snapshot it left as it was (see `describeSnapshot`). */
    snapshot?: string | undefined;
  },
): number {
  const usage = error instanceof OptionsError;
  const code = usage ? EXIT_USAGE : EXIT_FAILED;
  let message: string;
  if (error instanceof ButterError) {
    message = error.message;
    if (usage && !(error instanceof ConfigFileError)) {
      const flag = FLAG_OF[error.field];
      const file = ctx.configFile ?? 'the config file';
      if (flag && !message.includes(flag))
        message = `${message}\n  (set with ${flag} or \`${error.field}\` in ${file})`;
    } else if (ctx.snapshot && error.outcome === undefined) {
      // (A failed sync's own message already ends with what it left on disk.)
      message = `${message}\n  ${ctx.snapshot[0]!.toUpperCase()}${ctx.snapshot.slice(1)} is untouched.`;
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
