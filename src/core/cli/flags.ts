/**
 * `butter-sync`'s flags, in one table: the `node:util` parseArgs config, which option each
 * flag sets (and how its text becomes the option's value) and the options part of `--help`
 * are all generated from it. A new flag is one row.
 */
import { resolve } from 'node:path';
import { OptionsError } from '../errors.ts';
import { envOf, OPTION_NAMES, type Options } from '../options.ts';

/** Turns a flag's text into its option's value (`flag`: `--levels`, for messages). */
type Read = (text: string, flag: string, cwd: string) => unknown;

interface Flag {
  short?: string;
  /** Placeholder of its value in `--help` (`<dir>`); a flag without one is a switch. */
  arg?: string;
  /**
   * The option the flag sets: a value flag to what `read` makes of its text, a switch to
   * `true`, a `no-` switch to `false`. Flags without one are the CLI's own (read in `args.ts`).
   */
  option?: keyof Options;
  read?: Read;
  /** Its lines in `--help`. */
  help: string;
}

const text: Read = (value) => value;
/** Relative to the working directory, as a shell user means it. */
const path: Read = (value, _flag, cwd) => resolve(cwd, value);

export const integer: Read = (value, flag) => {
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new OptionsError(flag, `expected a whole number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
};

/** `a,b , c` → ['a', 'b', 'c']; empty entries dropped. */
const list: Read = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * `10m` as is, `500` as milliseconds (`--max-age`, `--poll-interval`); `resolveOptions` reads
 * the rest, `off` for polling included, as from a config file.
 */
const duration: Read = (value) => {
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

/** In `--help`'s order. */
export const FLAGS = {
  token: {
    arg: '<token>',
    option: 'token',
    read: text,
    help: 'read API token            (env BUTTERCMS_API_TOKEN)',
  },
  'api-url': {
    arg: '<url>',
    option: 'apiUrl',
    read: text,
    help: 'Read API base URL         (env BUTTERCMS_API_URL; default https://api.buttercms.com/v2)',
  },
  out: {
    short: 'o',
    arg: '<dir>',
    option: 'out',
    read: path,
    help: 'snapshot folder           (default .buttercms, .buttercms-preview with --preview)',
  },
  levels: {
    arg: '<1-5>',
    option: 'levels',
    read: integer,
    help: 'reference depth the local reader serves (default 2)',
  },
  locales: {
    arg: '<a,b>',
    option: 'locales',
    read: list,
    help: "locales to sync, default first (default: the account's default locale)",
  },
  'page-types': {
    arg: '<a,b>',
    option: 'pageTypes',
    read: list,
    help: 'page type slugs to sync (referenced ones are discovered too)',
  },
  collections: {
    arg: '<a,b>',
    option: 'collections',
    read: list,
    help: 'collection keys to sync (referenced ones are discovered too)',
  },
  preview: { option: 'preview', help: 'sync drafts and scheduled content (preview=1)' },
  concurrency: {
    arg: '<n>',
    option: 'concurrency',
    read: integer,
    help: 'most API requests in flight (default 8)',
  },
  'page-size': {
    arg: '<n>',
    option: 'pageSize',
    read: integer,
    help: 'items per listing request (default 100)',
  },
  timeout: {
    arg: '<ms>',
    option: 'timeout',
    read: integer,
    help: 'per-request timeout (default 30000)',
  },
  retries: {
    arg: '<n>',
    option: 'retries',
    read: integer,
    help: 'retries per request (default 4)',
  },
  'max-response-bytes': {
    arg: '<size>',
    option: 'maxResponseBytes',
    read: text,
    help: 'largest API answer accepted, as sent and decompressed\n(bytes, or 64MB, 100MiB …; default 64MiB)',
  },
  'no-media': { option: 'media', help: 'keep remote media URLs, download nothing' },
  'media-dir': {
    arg: '<dir>',
    option: 'mediaDir',
    read: path,
    help: 'folder for downloaded media (default <out>/media)',
  },
  'media-base': {
    arg: '<url>',
    option: 'mediaBase',
    read: text,
    help: 'public URL prefix of the media folder (default /buttercms/)',
  },
  'media-hosts': {
    arg: '<a,b>',
    option: 'mediaHosts',
    read: list,
    help: 'hosts media may be downloaded from',
  },
  types: {
    arg: '<file>',
    option: 'types',
    read: path,
    help: 'generated declarations file (default buttercms.d.ts)',
  },
  'no-types': { option: 'types', help: 'skip type generation' },
  'closed-enums': {
    option: 'closedEnums',
    help: 'type dropdown values as closed unions (default: open unions)',
  },
  strict: {
    option: 'strict',
    help: 'treat warnings (media, breaking type changes) as failures',
  },
  full: {
    option: 'full',
    help: 'sync the whole account even when a snapshot of the same options\nexists (otherwise only what may have changed is fetched)',
  },
  offline: {
    arg: '<policy>',
    option: 'offline',
    read: text,
    help: 'when the API cannot be reached: fallback (keep the existing\nsnapshot, warn with its age; the default) or error (fail)',
  },
  'max-age': {
    arg: '<time>',
    option: 'maxAge',
    read: duration,
    help: 'reuse a snapshot younger than this instead of syncing: ms, 30s, 10m, 2h\n(default 0: always sync)',
  },
  watch: {
    short: 'w',
    help: 'after the sync, keep the snapshot fresh until Ctrl-C / SIGTERM:\npoll for changes, re-sync only what changed, one line per refresh',
  },
  'poll-interval': {
    arg: '<time>',
    option: 'pollInterval',
    read: duration,
    help: 'how often --watch checks for changes: ms, 30s, 5m, or off (default 60s)',
  },
  'webhook-port': {
    arg: '<n>',
    help: 'with --watch, serve POST /__buttercms/webhook on 127.0.0.1:<n>\n(secret: env BUTTERCMS_WEBHOOK_SECRET or config webhookSecret,\nelse a random one, printed)',
  },
  'print-cache-key': {
    help: 'print a key for CI caches and exit (no network): buttercms-<digest\nof the options>-<digest of the snapshot on disk, or none>',
  },
  config: {
    short: 'c',
    arg: '<file>',
    help: 'config file (default: butter.config.{ts,mts,js,mjs,json} from here upwards)',
  },
  json: { help: 'print the result as one JSON object (last line of stdout)' },
  quiet: { short: 'q', help: 'print warnings and errors only' },
  verbose: {
    help: 'print debug lines too: each retry (request, why, delay); env\nDEBUG=unplugin-buttercms does the same for the build plugins',
  },
  help: { short: 'h', help: 'show this help' },
  version: { short: 'v', help: 'show the version' },
} as const satisfies Record<string, Flag>;

type Flags = typeof FLAGS;
type FlagName = keyof Flags;

/** The table as `parseArgs` options: a flag with an `arg` takes a string, the others are switches. */
type ParseConfig = {
  [K in FlagName]: Flags[K] extends { arg: string }
    ? { type: 'string'; short?: string }
    : { type: 'boolean'; short?: string };
};

export const PARSE_CONFIG = Object.fromEntries(
  Object.entries(FLAGS).map(([name, flag]: [string, Flag]) => [
    name,
    {
      type: flag.arg === undefined ? 'boolean' : 'string',
      ...(flag.short ? { short: flag.short } : {}),
    },
  ]),
) as ParseConfig;

/** Every long flag's name (`page-types` for `--page-types`). */
export const FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

/** The options the flags given set, read from the flags' texts (`values`: parseArgs's). */
export function optionsOf(values: Partial<Record<string, string | boolean>>, cwd: string): Options {
  const options: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(FLAGS) as [string, Flag][]) {
    const value = values[name];
    if (flag.option === undefined || value === undefined || value === false) continue;
    options[flag.option] =
      typeof value === 'string' ? flag.read?.(value, `--${name}`, cwd) : !name.startsWith('no-');
  }
  return options as Options;
}

/**
 * Option field → where it is set besides the config file (for messages about bad values): its
 * flag (the first that sets it), else its environment variable.
 */
export const FLAG_OF: Record<string, string> = Object.fromEntries([
  ...OPTION_NAMES.flatMap((option) => {
    const flag = FLAG_NAMES.find((name) => (FLAGS[name as FlagName] as Flag).option === option);
    const where = flag === undefined ? envOf(option) : `--${flag}`;
    return where === undefined ? [] : [[option, where]];
  }),
  // loadConfig's errors name the field `config`.
  ['config', '--config'],
]);

/** The options part of `--help`: each flag, its value, and its description beside it. */
export function flagsHelp(): string {
  return Object.entries(FLAGS as Record<string, Flag>)
    .map(([name, flag]) => {
      const usage = `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.arg ? ` ${flag.arg}` : ''}`;
      const [first, ...more] = flag.help.split('\n');
      return [`  ${usage.padEnd(23)}  ${first}`, ...more.map((line) => `${' '.repeat(27)}${line}`)]
        .map((line) => `${line}\n`)
        .join('');
    })
    .join('');
}
