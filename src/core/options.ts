import { isAbsolute, resolve } from 'node:path';
import { OptionsError } from './errors.ts';
import {
  boolean,
  byteSize,
  duration,
  integerIn,
  nonEmptyString,
  oneOf,
  pollInterval,
  show,
  slugList,
  webhookSecret,
} from './option-values.ts';
import { DEFAULT_READER_CACHE } from './reader/reader.ts';
import { publicUrl } from './redact.ts';
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

export interface ResolvedOptions {
  token: string;
  apiUrl: string;
  root: string;
  /** Absolute snapshot folder. */
  out: string;
  levels: Levels;
  locales: string[];
  pageTypes: string[];
  collections: string[];
  preview: boolean;
  concurrency: number;
  pageSize: number;
  timeout: number;
  retries: number;
  maxRetryAfter: number;
  /** Bytes. */
  maxResponseBytes: number;
  media: boolean;
  /** Absolute media folder. */
  mediaDir: string;
  mediaBase: string;
  mediaHosts: string[];
  /** Absolute path of the declarations file, or `false`. */
  types: string | false;
  closedEnums: boolean;
  strict: boolean;
  full: boolean;
  offline: 'fallback' | 'error';
  /** Milliseconds. */
  maxAge: number;
  watch: boolean;
  /** Milliseconds, or `false` when polling is off. */
  pollInterval: number | false;
  /** `undefined` when neither the option nor the environment sets one. */
  webhookSecret: string | undefined;
  /** Megabytes. */
  readerCache: number;
}

export const DEFAULT_API_URL = 'https://api.buttercms.com/v2';

/** ButterCMS's own media hosts (seen in docs and recorded responses). */
export const DEFAULT_MEDIA_HOSTS = [
  'cdn.buttercms.com',
  'd2wzhk7xhrnk1x.cloudfront.net',
  'd2devwt40at1e2.cloudfront.net',
  'cdn.filestackcontent.com',
];

export const DEFAULT_OPTIONS = {
  out: '.buttercms',
  levels: 2,
  locales: [],
  pageTypes: [],
  collections: [],
  preview: false,
  concurrency: 8,
  pageSize: 100,
  timeout: 30_000,
  retries: 4,
  maxRetryAfter: 60,
  maxResponseBytes: '64MiB',
  media: true,
  mediaBase: '/buttercms/',
  mediaHosts: DEFAULT_MEDIA_HOSTS,
  types: 'buttercms.d.ts',
  closedEnums: false,
  strict: false,
  full: false,
  offline: 'fallback',
  maxAge: 0,
  pollInterval: 60_000,
  readerCache: DEFAULT_READER_CACHE,
} satisfies Options;

const KNOWN_FIELDS = new Set<string>([
  ...Object.keys(DEFAULT_OPTIONS),
  'token',
  'apiUrl',
  'mediaDir',
  'root',
  'watch',
  'webhookSecret',
]);

/** What is wrong with `key` as an option name (with the nearest option), if anything. */
export function unknownOption(key: string): string | undefined {
  if (KNOWN_FIELDS.has(key)) return undefined;
  return `unknown option \`${key}\`${didYouMean(key, [...KNOWN_FIELDS])}`;
}

/**
 * Validates the user's options, fills in defaults (and the environment's token and API URL)
 * and returns a new object; the input is never mutated. Throws an `OptionsError` naming the
 * first bad field.
 */
export function resolveOptions(
  options: Options = {},
  env: Record<string, string | undefined> = process.env,
): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError('options', `expected an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    const problem = unknownOption(key);
    if (problem !== undefined) throw new OptionsError(key, problem, undefined, problem);
  }
  const merged = { ...DEFAULT_OPTIONS, ...stripUndefined(options) };

  const token = merged.token ?? env.BUTTERCMS_API_TOKEN;
  if (token === undefined || token.trim() === '') {
    throw new OptionsError(
      'token',
      'no ButterCMS API token',
      'Set BUTTERCMS_API_TOKEN in the environment, or pass `token` (`--token`). The read token is in ButterCMS under Settings → API Tokens.',
    );
  }

  const apiUrl = nonEmptyString(
    'apiUrl',
    merged.apiUrl ?? env.BUTTERCMS_API_URL ?? DEFAULT_API_URL,
  );
  // Shown without user, password or query values: a token or password can hide in them.
  const shown = show(publicUrl(apiUrl));
  let parsedApiUrl: URL;
  try {
    parsedApiUrl = new URL(apiUrl);
  } catch {
    throw new OptionsError('apiUrl', `not a URL: ${shown}`);
  }
  if (!/^https?:$/.test(parsedApiUrl.protocol)) {
    throw new OptionsError('apiUrl', `expected an http(s) URL, got ${shown}`);
  }
  if (parsedApiUrl.username || parsedApiUrl.password) {
    throw new OptionsError('apiUrl', 'must not contain credentials', 'Pass the token as `token`.');
  }
  if (parsedApiUrl.search || parsedApiUrl.hash) {
    throw new OptionsError(
      'apiUrl',
      `must end at the path (${shown}): a query or fragment is not sent`,
      'Pass the token as `token`; the base URL ends in /v2, e.g. https://api.buttercms.com/v2.',
    );
  }

  const root = resolve(nonEmptyString('root', merged.root ?? process.cwd()));
  const preview = boolean('preview', merged.preview);
  const outOption =
    options.out === undefined && preview ? '.buttercms-preview' : nonEmptyString('out', merged.out);
  const out = resolve(root, outOption);
  if (out === root) throw new OptionsError('out', 'must not be the project root itself');

  const mediaBase = nonEmptyString('mediaBase', merged.mediaBase);
  const mediaHosts = merged.mediaHosts;
  if (!Array.isArray(mediaHosts) || mediaHosts.some((h) => typeof h !== 'string' || h === '')) {
    throw new OptionsError('mediaHosts', `expected a list of host names, got ${show(mediaHosts)}`);
  }
  const types = merged.types;
  if (types !== false && (typeof types !== 'string' || types === '')) {
    throw new OptionsError('types', `expected a file path or false, got ${show(types)}`);
  }

  return {
    token: token.trim(),
    apiUrl: apiUrl.replace(/\/+$/, ''),
    root,
    out,
    levels: integerIn('levels', merged.levels, 1, 5) as Levels,
    locales: slugList('locales', merged.locales),
    pageTypes: slugList('pageTypes', merged.pageTypes),
    collections: slugList('collections', merged.collections),
    preview,
    concurrency: integerIn('concurrency', merged.concurrency, 1, 64),
    pageSize: integerIn('pageSize', merged.pageSize, 1, 1000),
    timeout: integerIn('timeout', merged.timeout, 100, 600_000),
    retries: integerIn('retries', merged.retries, 0, 20),
    maxRetryAfter: integerIn('maxRetryAfter', merged.maxRetryAfter, 0, 3600),
    // Above 512 MiB a body could not be decoded into one string (V8's longest) anyway.
    maxResponseBytes: byteSize(
      'maxResponseBytes',
      merged.maxResponseBytes,
      1024 ** 2,
      512 * 1024 ** 2,
    ),
    media: boolean('media', merged.media),
    mediaDir: resolve(root, options.mediaDir ?? `${outOption}/media`),
    mediaBase: mediaBase.endsWith('/') ? mediaBase : `${mediaBase}/`,
    mediaHosts: [...new Set(mediaHosts.map((h) => h.toLowerCase()))],
    types: types === false ? false : isAbsolute(types) ? types : resolve(root, types),
    closedEnums: boolean('closedEnums', merged.closedEnums),
    strict: boolean('strict', merged.strict),
    full: boolean('full', merged.full),
    offline: oneOf('offline', merged.offline, ['fallback', 'error'] as const),
    maxAge: duration('maxAge', merged.maxAge, 0),
    watch: boolean('watch', merged.watch ?? !isCi(env)),
    pollInterval: pollInterval(merged.pollInterval),
    webhookSecret: webhookSecret(merged.webhookSecret ?? env.BUTTERCMS_WEBHOOK_SECRET),
    readerCache: integerIn('readerCache', merged.readerCache, 0, 1_000_000),
  };
}

function isCi(env: Record<string, string | undefined>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
