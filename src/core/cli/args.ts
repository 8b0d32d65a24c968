/**
 * `butter-sync` arguments → a command and the `Options` its flags set (node:util parseArgs).
 * Bad usage throws an `OptionsError` naming the flag; exit code 2.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OptionsError } from '../errors.ts';
import type { Levels, Options } from '../options.ts';
import { didYouMean } from '../suggest.ts';

export type Command = 'sync' | 'types' | 'help' | 'version';

export interface CliArgs {
  command: Command;
  /** Options set by flags only (undefined where no flag was given). */
  options: Options;
  config: string | undefined;
  json: boolean;
  quiet: boolean;
  /** `--verbose`: debug lines too (each retry: which request, why, the delay). */
  verbose: boolean | undefined;
  /** `--watch`: after the sync, keep the snapshot fresh until SIGINT/SIGTERM. */
  watch: boolean;
  /** `--webhook-port`: serve the webhook endpoint on 127.0.0.1 (0: any free port). */
  webhookPort: number | undefined;
}

export const COMMANDS: readonly Command[] = ['sync', 'types'];

const FLAGS = {
  token: { type: 'string' },
  'api-url': { type: 'string' },
  out: { type: 'string', short: 'o' },
  levels: { type: 'string' },
  locales: { type: 'string' },
  'page-types': { type: 'string' },
  collections: { type: 'string' },
  preview: { type: 'boolean' },
  concurrency: { type: 'string' },
  'page-size': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  'max-response-bytes': { type: 'string' },
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  'no-media': { type: 'boolean' },
  'media-dir': { type: 'string' },
  'media-base': { type: 'string' },
  'media-hosts': { type: 'string' },
  types: { type: 'string' },
  'no-types': { type: 'boolean' },
  strict: { type: 'boolean' },
  'closed-enums': { type: 'boolean' },
  offline: { type: 'string' },
  'max-age': { type: 'string' },
  watch: { type: 'boolean', short: 'w' },
  'poll-interval': { type: 'string' },
  'webhook-port': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Every long flag's name (`page-types` for `--page-types`). */
export const FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

/** Option field → the flag that sets it (for messages about bad values). */
export const FLAG_OF: Record<string, string> = {
  token: '--token',
  apiUrl: '--api-url',
  out: '--out',
  levels: '--levels',
  locales: '--locales',
  pageTypes: '--page-types',
  collections: '--collections',
  preview: '--preview',
  concurrency: '--concurrency',
  pageSize: '--page-size',
  timeout: '--timeout',
  retries: '--retries',
  maxResponseBytes: '--max-response-bytes',
  media: '--no-media',
  mediaDir: '--media-dir',
  mediaBase: '--media-base',
  mediaHosts: '--media-hosts',
  types: '--types',
  strict: '--strict',
  closedEnums: '--closed-enums',
  offline: '--offline',
  maxAge: '--max-age',
  pollInterval: '--poll-interval',
  webhookSecret: 'BUTTERCMS_WEBHOOK_SECRET',
  config: '--config',
};

const HELP_HINT = 'Run `butter-sync --help` for every option.';

/**
 * Flags that do not exist, or misused, in words of our own (node's parseArgs messages speak
 * of positional arguments): the nearest flag for a typo, what a flag expects.
 */
function checkFlags(argv: readonly string[]): void {
  const { tokens } = parseArgs({ args: [...argv], options: FLAGS, strict: false, tokens: true });
  const known = FLAG_NAMES.map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = token.rawName;
    const spec = (FLAGS as Record<string, { type: 'string' | 'boolean' }>)[token.name];
    if (spec === undefined) {
      const problem = `unknown option \`${flag}\`${didYouMean(flag, known)}`;
      throw new OptionsError(flag, problem, HELP_HINT, problem);
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new OptionsError(flag, 'expects a value', HELP_HINT);
    }
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw new OptionsError(
        flag,
        `expects a value, got the option-like "${token.value}" (write ${flag}=${token.value} if you mean it)`,
        HELP_HINT,
      );
    }
    if (spec.type === 'boolean' && token.inlineValue) {
      throw new OptionsError(
        flag,
        `is a switch and takes no value (got "${token.value}")`,
        HELP_HINT,
      );
    }
  }
}

export function parseCliArgs(argv: readonly string[], cwd: string): CliArgs {
  checkFlags(argv);
  const parsed = parseArgs({
    args: [...argv],
    options: FLAGS,
    allowPositionals: true,
    strict: true,
  });
  const v = parsed.values;
  const [first, ...rest] = parsed.positionals;
  if (rest.length > 0) {
    throw new OptionsError('arguments', `unexpected argument ${JSON.stringify(rest[0])}`);
  }
  let command: Command = 'sync';
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new OptionsError(
        'command',
        `unknown command ${JSON.stringify(first)} (commands: ${COMMANDS.join(', ')})${didYouMean(first, COMMANDS)}`,
        HELP_HINT,
      );
    }
    command = first as Command;
  }
  if (v.help) command = 'help';
  else if (v.version) command = 'version';
  if (!v.watch && (v['poll-interval'] !== undefined || v['webhook-port'] !== undefined)) {
    const flag = v['poll-interval'] !== undefined ? '--poll-interval' : '--webhook-port';
    throw new OptionsError(flag, 'only makes sense with --watch');
  }
  if (command === 'types' && v.watch) {
    throw new OptionsError('--watch', 'works with the sync command only');
  }
  const webhookPort = integer('--webhook-port', v['webhook-port']);
  if (webhookPort !== undefined && webhookPort > 65535) {
    throw new OptionsError('--webhook-port', `expected a port number, got ${webhookPort}`);
  }
  if (v['no-types'] && v.types !== undefined) {
    throw new OptionsError('--types', 'cannot be combined with --no-types');
  }

  const path = (value: string | undefined) =>
    value === undefined ? undefined : resolve(cwd, value);
  const options: Options = {
    token: v.token,
    apiUrl: v['api-url'],
    out: path(v.out),
    levels: integer('--levels', v.levels) as Levels | undefined,
    locales: list(v.locales),
    pageTypes: list(v['page-types']),
    collections: list(v.collections),
    preview: v.preview,
    concurrency: integer('--concurrency', v.concurrency),
    pageSize: integer('--page-size', v['page-size']),
    timeout: integer('--timeout', v.timeout),
    retries: integer('--retries', v.retries),
    maxResponseBytes: v['max-response-bytes'],
    media: v['no-media'] ? false : undefined,
    mediaDir: path(v['media-dir']),
    mediaBase: v['media-base'],
    mediaHosts: list(v['media-hosts']),
    types: v['no-types'] ? false : path(v.types),
    strict: v.strict,
    closedEnums: v['closed-enums'],
    offline: v.offline as Options['offline'],
    maxAge: duration(v['max-age']),
    pollInterval: duration(v['poll-interval']),
  };
  return {
    command,
    options: Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    ) as Options,
    config: v.config,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    verbose: v.verbose,
    watch: v.watch ?? false,
    webhookPort,
  };
}

/**
 * `10m` as is, `500` as milliseconds (`--max-age`, `--poll-interval`); `resolveOptions` reads
 * the rest, `off` for polling included, as from a config file.
 */
function duration(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  return /^\d+$/.test(text) ? Number(text) : text;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new OptionsError(flag, `expected a whole number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** `a,b , c` → ['a', 'b', 'c']; empty entries dropped. */
export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
