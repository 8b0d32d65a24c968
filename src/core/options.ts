import { join, resolve } from 'node:path';
import { OptionsError } from './errors.ts';
import {
  apiUrl,
  boolean,
  byteSize,
  duration,
  hostList,
  integerIn,
  isCi,
  nonEmptyString,
  oneOf,
  pollInterval,
  show,
  slugList,
  token,
  typesFile,
  webhookSecret,
} from './option-values.ts';
import { DEFAULT_READER_CACHE } from './snapshot/cache.ts';
import { didYouMean } from './suggest.ts';

/** Reference depth the Read API serializes; the docs allow 1–5. */
export type Levels = 1 | 2 | 3 | 4 | 5;

/**
 * Options of unplugin-buttercms. The same object drives the `butter-sync` CLI (flags,
 * `butter.config.*`, environment) and every build integration.
 */
export interface Options {
  /**
   * ButterCMS read API token.
   * @default process.env.BUTTERCMS_API_TOKEN
   */
  token?: string;
  /**
   * Base URL of the Read API, up to and including `/v2`.
   * @default process.env.BUTTERCMS_API_URL ?? 'https://api.buttercms.com/v2'
   */
  apiUrl?: string;
  /**
   * Folder the snapshot is written to, relative to `root`.
   * @default '.buttercms' ('.buttercms-preview' when `preview` is on, so drafts never mix
   * with published content)
   */
  out?: string;
  /**
   * Reference depth the local reader can serve (1 = references as URIs, 2 = one level
   * expanded, …). Integer from 1 to 5.
   * @default 2
   */
  levels?: Levels;
  /**
   * Locales to sync, the account's default first. Empty: the account's default locale only
   * (for accounts without localization).
   * @default []
   */
  locales?: string[];
  /**
   * Page type slugs to sync. The Read API cannot list page types; page types that content
   * references are discovered and synced too, and reported so you can add them here.
   * @default []
   */
  pageTypes?: string[];
  /**
   * Collection keys to sync. Like page types they cannot be listed; referenced collections are
   * discovered and reported.
   * @default []
   */
  collections?: string[];
  /**
   * Sync draft and scheduled content (`preview=1`). A preview snapshot is marked as such and
   * goes to its own folder by default.
   * @default false
   */
  preview?: boolean;
  /**
   * Most API requests in flight at once (one limit shared by every request of a sync).
   * @default 8
   */
  concurrency?: number;
  /**
   * Items per listing request. ButterCMS documents 100 as the largest page size it honours;
   * the sync follows `meta.next_page` whatever the server actually returns.
   * @default 100
   */
  pageSize?: number;
  /**
   * Per-request timeout in milliseconds.
   * @default 30000
   */
  timeout?: number;
  /**
   * Retries of a request after a network error, timeout, 5xx or malformed body.
   * @default 4
   */
  retries?: number;
  /**
   * Longest `Retry-After` (seconds) of a 429 that is waited for. ButterCMS answers 429 when the
   * plan's monthly API-call quota is used up, and its Retry-After can point at the monthly
   * reset: anything longer than this fails at once with a message naming the reset time.
   * @default 60
   */
  maxRetryAfter?: number;
  /**
   * Largest API response accepted, in bytes (a number, or a size such as `'64MB'`, `'100MiB'`),
   * counted as sent and once decompressed: the API caps its answers at 10 MB, and a body past
   * this one (a server that never stops sending, a compressed body that inflates to gigabytes)
   * fails the sync instead of filling the memory.
   * @default '64MiB'
   */
  maxResponseBytes?: number | string;
  /**
   * Download media files and rewrite their URLs to local paths. `false` keeps remote URLs.
   * @default true
   */
  media?: boolean;
  /**
   * Folder for downloaded media files, relative to `root`.
   * @default '<out>/media'
   */
  mediaDir?: string;
  /**
   * Public URL prefix the site serves `mediaDir` under; rewritten media URLs start with it.
   * @default '/buttercms/'
   */
  mediaBase?: string;
  /**
   * Hosts media is downloaded from. URLs on any other host are left untouched and never
   * fetched, so content cannot make the build request internal addresses.
   * @default ButterCMS's CDN hosts
   */
  mediaHosts?: string[];
  /**
   * Where the generated TypeScript declarations go (relative to `root`), or `false` to skip
   * type generation.
   * @default 'buttercms.d.ts'
   */
  types?: string | false;
  /**
   * Type dropdown-like fields as closed literal unions (`'a' | 'b'`). Off, the unions stay open
   * (`'a' | 'b' | (string & {})`), because a value the content has not used yet is still valid.
   * @default false
   */
  closedEnums?: boolean;
  /**
   * Turn warnings (failed media downloads, breaking type changes) into failures.
   * @default false
   */
  strict?: boolean;
  /**
   * Sync the whole account (a cold sync) even when a snapshot of the same options exists.
   * Without it such a snapshot makes the sync a warm one: requests only where content may have
   * changed, the same snapshot as a cold sync.
   * @default false
   */
  full?: boolean;
  /**
   * Project root that relative paths are resolved against.
   * @default process.cwd()
   */
  root?: string;
  /**
   * What a build does when the API cannot be reached (network error, timeout, 5xx, quota, or
   * no token) but a snapshot exists: `'fallback'` goes on with the snapshot and warns with its
   * age; `'error'` fails. Without a snapshot both fail.
   * @default 'fallback'
   */
  offline?: 'fallback' | 'error';
  /**
   * Reuse the existing snapshot instead of syncing when it is younger than this: milliseconds,
   * or a duration such as `'10m'`, `'2h'` (units ms, s, m, h, d). `0` syncs every time.
   * @default 0
   */
  maxAge?: number | string;
  /**
   * In a dev server (`vite dev`, `astro dev`, `next dev`, `butter-sync --watch`), keep the
   * snapshot fresh: poll the API, watch the config and the snapshot folder, accept webhooks,
   * and refresh the page when content changes.
   * @default !process.env.CI
   */
  watch?: boolean;
  /**
   * How often watch mode asks the API whether content changed (a few one-item requests per
   * check): milliseconds, or a duration such as `'30s'`. `false`, `'off'` or `0` turns polling
   * off (webhooks and file changes still refresh). Every request counts against the plan's
   * monthly quota.
   * @default 60000
   */
  pollInterval?: number | string | false;
  /**
   * Secret a webhook must carry (`?secret=` in the webhook URL, or the `x-buttercms-secret`
   * header) for the dev server's `/__buttercms/webhook` endpoint to accept it. Without one a
   * random secret is generated and printed when the dev server starts.
   * @default process.env.BUTTERCMS_WEBHOOK_SECRET
   */
  webhookSecret?: string;
  /**
   * Memory, in megabytes, that the local reader behind `virtual:buttercms`, the Astro loader and
   * `nextButter()` may keep snapshot content in between calls (parsed entities and where each
   * is in its chunk file). It never holds more than the parsed snapshot (about 1.5× its size on
   * disk): the default keeps snapshots up to about 650 MB whole. Lower it to bound the memory of
   * a process serving a huge account (what is asked for again is kept, the rest read again
   * from disk); `0` keeps nothing.
   * @default 1024
   */
  readerCache?: number;
}

export const DEFAULT_API_URL = 'https://api.buttercms.com/v2';

/** ButterCMS's own media hosts (seen in docs and recorded responses). */
export const DEFAULT_MEDIA_HOSTS = [
  'cdn.buttercms.com',
  'd2wzhk7xhrnk1x.cloudfront.net',
  'd2devwt40at1e2.cloudfront.net',
  'cdn.filestackcontent.com',
];

type Env = Record<string, string | undefined>;

/**
 * What a field's default and check may read besides its own value. The fields are resolved in
 * the table's order, so `root`, `preview` and `out` are set before any field that reads them.
 */
interface Context {
  env: Env;
  root: string;
  preview: boolean;
  out: string;
}

const CONTEXT_FIELDS = new Set(['root', 'preview', 'out']);

interface Field<T> {
  /** The environment variable read when the option is not set. */
  env?: string;
  /** The value when neither the option nor `env` sets one (a function: computed from the context). */
  default?: unknown;
  /** Checks what the user wrote (throwing an `OptionsError` naming the field) and resolves it. */
  read(value: unknown, context: Context): T;
}

/** Keeps each field's resolved type (`satisfies` below checks the table covers `Options`). */
const field = <T>(spec: Field<T>): Field<T> => spec;

/**
 * Every option: where its value comes from when unset and how it is checked. The one list of
 * fields: `SnapshotOptions`, `ResolvedOptions` and the known option names derive from it.
 */
const FIELDS = {
  /** `undefined` when neither the option nor the environment sets one (see `requireToken`). */
  token: field({ env: 'BUTTERCMS_API_TOKEN', read: token }),
  /** Without a trailing slash. */
  apiUrl: field({ env: 'BUTTERCMS_API_URL', default: DEFAULT_API_URL, read: apiUrl }),
  /** Absolute project root. */
  root: field({ default: () => process.cwd(), read: (v) => resolve(nonEmptyString('root', v)) }),
  preview: field({ default: false, read: (v) => boolean('preview', v) }),
  /** Absolute snapshot folder. */
  out: field({
    default: ({ preview }: Context) => (preview ? '.buttercms-preview' : '.buttercms'),
    read: (v, { root }) => {
      const out = resolve(root, nonEmptyString('out', v));
      if (out === root) throw new OptionsError('out', 'must not be the project root itself');
      return out;
    },
  }),
  levels: field({ default: 2, read: (v) => integerIn('levels', v, 1, 5) as Levels }),
  locales: field({ default: [], read: (v) => slugList('locales', v) }),
  pageTypes: field({ default: [], read: (v) => slugList('pageTypes', v) }),
  collections: field({ default: [], read: (v) => slugList('collections', v) }),
  concurrency: field({ default: 8, read: (v) => integerIn('concurrency', v, 1, 64) }),
  pageSize: field({ default: 100, read: (v) => integerIn('pageSize', v, 1, 1000) }),
  timeout: field({ default: 30_000, read: (v) => integerIn('timeout', v, 100, 600_000) }),
  retries: field({ default: 4, read: (v) => integerIn('retries', v, 0, 20) }),
  maxRetryAfter: field({ default: 60, read: (v) => integerIn('maxRetryAfter', v, 0, 3600) }),
  /** Bytes. */
  maxResponseBytes: field({
    default: '64MiB',
    // Above 512 MiB a body could not be decoded into one string (V8's longest) anyway.
    read: (v) => byteSize('maxResponseBytes', v, 1024 ** 2, 512 * 1024 ** 2),
  }),
  media: field({ default: true, read: (v) => boolean('media', v) }),
  /** Absolute media folder. */
  mediaDir: field({
    default: ({ out }: Context) => join(out, 'media'),
    read: (v, { root }) => resolve(root, nonEmptyString('mediaDir', v)),
  }),
  /** Ends in `/`. */
  mediaBase: field({
    default: '/buttercms/',
    read: (v) => {
      const base = nonEmptyString('mediaBase', v);
      return base.endsWith('/') ? base : `${base}/`;
    },
  }),
  /** Lower case, each once. */
  mediaHosts: field({ default: DEFAULT_MEDIA_HOSTS, read: hostList }),
  /** Absolute path of the declarations file, or `false`. */
  types: field({ default: 'buttercms.d.ts', read: (v, { root }) => typesFile(v, root) }),
  closedEnums: field({ default: false, read: (v) => boolean('closedEnums', v) }),
  strict: field({ default: false, read: (v) => boolean('strict', v) }),
  full: field({ default: false, read: (v) => boolean('full', v) }),
  offline: field({
    default: 'fallback',
    read: (v) => oneOf('offline', v, ['fallback', 'error'] as const),
  }),
  /** Milliseconds. */
  maxAge: field({ default: 0, read: (v) => duration('maxAge', v, 0) }),
  watch: field({
    default: ({ env }: Context) => !isCi(env),
    read: (v) => boolean('watch', v),
  }),
  /** Milliseconds, or `false` when polling is off. */
  pollInterval: field({ default: 60_000, read: pollInterval }),
  /** `undefined` when neither the option nor the environment sets one. */
  webhookSecret: field({ env: 'BUTTERCMS_WEBHOOK_SECRET', read: webhookSecret }),
  /** Megabytes. */
  readerCache: field({
    default: DEFAULT_READER_CACHE,
    read: (v) => integerIn('readerCache', v, 0, 1_000_000),
  }),
} satisfies { [K in keyof Options]-?: Field<unknown> };

type Resolved<K extends keyof typeof FIELDS> = ReturnType<(typeof FIELDS)[K]['read']>;

/**
 * Every option checked and filled in, the token only when one is set: what finding, reading and
 * reusing a snapshot need (a build without a token can still use a committed snapshot), and
 * what the integrations hold from their start on.
 */
export type SnapshotOptions = { [K in keyof typeof FIELDS]: Resolved<K> };

/** The options a sync runs with: `SnapshotOptions` with a token (see `requireToken`). */
export type ResolvedOptions = SnapshotOptions & { token: string };

/** The environment variable an option falls back on, if any (`token` → `BUTTERCMS_API_TOKEN`). */
export function envOf(key: keyof Options): string | undefined {
  return (FIELDS[key] as Field<unknown>).env;
}

/** Every option's name. */
export const OPTION_NAMES = Object.keys(FIELDS) as (keyof Options)[];

/** What is wrong with `key` as an option name (with the nearest option), if anything. */
export function unknownOption(key: string): string | undefined {
  if (Object.hasOwn(FIELDS, key)) return undefined;
  return `unknown option \`${key}\`${didYouMean(key, OPTION_NAMES)}`;
}

/**
 * Validates the user's options but the token, fills in defaults (and the environment's token,
 * API URL and webhook secret) and returns a new object; the input is never mutated. Throws an
 * `OptionsError` naming the first bad field.
 */
export function resolveSnapshotOptions(
  options: Options = {},
  env: Env = process.env,
): SnapshotOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError('options', `expected an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    const problem = unknownOption(key);
    if (problem !== undefined) throw new OptionsError(key, problem, undefined, problem);
  }
  const given = options as Record<string, unknown>;
  const context = { env } as Context;
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(FIELDS) as [string, Field<unknown>][]) {
    let value = given[key];
    if (value === undefined && spec.env !== undefined) value = env[spec.env];
    if (value === undefined) {
      value = typeof spec.default === 'function' ? spec.default(context) : spec.default;
    }
    resolved[key] = spec.read(value, context);
    if (CONTEXT_FIELDS.has(key)) Object.assign(context, { [key]: resolved[key] });
  }
  return resolved as SnapshotOptions;
}

/** The error of a sync without a token: what to set, and where the token is. */
export function missingToken(): OptionsError {
  return new OptionsError(
    'token',
    'no ButterCMS API token',
    'Set BUTTERCMS_API_TOKEN in the environment, or pass `token` (`--token`). The read token is in ButterCMS under Settings → API Tokens.',
  );
}

/** `options` with their token, for a sync; an `OptionsError` saying what to set without one. */
export function requireToken(options: SnapshotOptions): ResolvedOptions {
  if (options.token === undefined) throw missingToken();
  return { ...options, token: options.token };
}

/** `resolveSnapshotOptions` for a sync: the token is required. */
export function resolveOptions(options: Options = {}, env: Env = process.env): ResolvedOptions {
  return requireToken(resolveSnapshotOptions(options, env));
}
