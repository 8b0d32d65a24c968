/**
 * `sync()`: the whole pipeline of one sync — resolve the options, crawl the account (with
 * discovery and probes), then the later stages, and write the snapshot atomically. A failed
 * sync throws a `ButterError` and leaves the previous snapshot untouched.
 */
import { createClient, describeRetry, sanitizeCause } from '../client/index.ts';
import { ButterError } from '../errors.ts';
import type { StagedContent } from '../model/content.ts';
import { DEFAULT_API_URL, type Options, type ResolvedOptions, resolveOptions } from '../options.ts';
import { publicUrl, redact } from '../redact.ts';
import { describeFsError } from '../snapshot/files.ts';
import { Spool } from '../snapshot/spool.ts';
import { commitSnapshot, tellOutcome } from './commit.ts';
import { type CrawlOutput, crawl } from './crawl.ts';
import { withSyncLock } from './lock.ts';
import { contentOptionsDigest, crawlPartial, keptListings, partialBase } from './partial.ts';
import { profileFile } from './profile.ts';
import { createProgress } from './progress.ts';
import { countEntities } from './result.ts';
import { inferTypes, pruneUnusedMedia, runMedia } from './stages.ts';
import type { SyncEvent, SyncHooks, SyncResult, WarmReport } from './types.ts';
import { crawlWarm, warmBase } from './warm/index.ts';

export { collectRefs, formatRef, hasRefs, parseRef, refKey } from '../model/refs.ts';
export { countEntities, formatSummary } from './result.ts';
export type * from './types.ts';

/** Syncs the account `options` name into the snapshot folder. */
export async function sync(options: Options = {}, hooks: SyncHooks = {}): Promise<SyncResult> {
  return syncResolved(resolveOptions(options, hooks.env), hooks);
}

/**
 * `sync()` with options already resolved (the integrations resolve once and sync often). A
 * failure is a `ButterError` whose message ends with what is on disk (see `tellOutcome`).
 */
export async function syncResolved(
  resolved: ResolvedOptions,
  hooks: SyncHooks = {},
): Promise<SyncResult> {
  try {
    return await withSyncLock(resolved.out, () => spooled(resolved, hooks), {
      waiting: (message) => hooks.logger?.info?.(message),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
  } catch (error) {
    const failure = asButterError(error, resolved, hooks.signal);
    await tellOutcome(failure, resolved);
    throw failure;
  }
}

/** `run` with the spool the crawl writes the listings to (see `spool.ts`), closed at the end. */
async function spooled(options: ResolvedOptions, hooks: SyncHooks): Promise<SyncResult> {
  const spool = await Spool.open(options.out);
  try {
    return await run(options, hooks, spool);
  } finally {
    spool.close();
  }
}

async function run(options: ResolvedOptions, hooks: SyncHooks, spool: Spool): Promise<SyncResult> {
  const started = performance.now();
  const emit = (event: SyncEvent) => hooks.onProgress?.(event);
  const warnings: string[] = [];
  const warn = (message: string, topic?: string) => {
    const safe = redact(message, options.token);
    warnings.push(safe);
    hooks.logger?.warn(safe, topic);
  };
  const logDebug = hooks.logger?.debug;
  const debug = logDebug && ((message: string) => logDebug(redact(message, options.token)));
  const client = createClient({
    token: options.token,
    apiUrl: options.apiUrl,
    concurrency: options.concurrency,
    timeout: options.timeout,
    retries: options.retries,
    maxRetryAfter: options.maxRetryAfter,
    maxResponseBytes: options.maxResponseBytes,
    fetch: hooks.fetch,
    onRetry: (event) => {
      debug?.(describeRetry(event));
      emit({
        type: 'retry',
        endpoint: event.endpoint,
        attempt: event.attempt,
        reason: event.error.code,
        delayMs: event.delay,
      });
    },
  });

  emit({ type: 'phase', phase: 'crawl' });
  const plan = {
    locales: options.locales.length > 0 ? options.locales : [null],
    pageTypes: options.pageTypes,
    collections: options.collections,
    levels: options.levels,
    preview: options.preview,
    pageSize: options.pageSize,
  };
  const crawlEnv = {
    api: client,
    progress: createProgress(emit),
    emit,
    warn,
    signal: hooks.signal,
    spool,
  };
  const base = hooks.only ? await partialBase(options, plan.locales, spool) : undefined;
  const warmFrom = base || options.full ? undefined : await warmBase(options, plan.locales, spool);
  const crawled: CrawlOutput & { warm?: Omit<WarmReport, 'callsSaved'> } =
    hooks.only && base
      ? await crawlPartial(plan, hooks.only, base, crawlEnv)
      : warmFrom
        ? await crawlWarm(plan, warmFrom, crawlEnv)
        : await crawl(plan, crawlEnv);
  const warm = crawled.warm && {
    ...crawled.warm,
    callsSaved: crawled.warm.coldRequests - client.stats.requests,
  };
  const crawlEnd = performance.now();

  let content: StagedContent = crawled.content;
  emit({ type: 'phase', phase: 'media' });
  const media = await runMedia(content, options, {
    warn,
    emit,
    ...(debug ? { debug } : {}),
    signal: hooks.signal,
    fetch: hooks.fetch,
  });
  content = media.content;
  const mediaEnd = performance.now();
  const before = hooks.only && base ? base : warmFrom;
  const unchanged = before && keptListings(before.content, content, media.rewritten ?? new Set());

  // The stages after the crawl do not watch the signal: stop between them, before the write.
  hooks.signal?.throwIfAborted();
  emit({ type: 'phase', phase: 'types' });
  const inferred = await inferTypes(content, options, { warn });
  const inferEnd = performance.now();

  hooks.signal?.throwIfAborted();
  emit({ type: 'phase', phase: 'write' });
  const { written, types, typesMs } = await commitSnapshot(
    options,
    content,
    {
      source: publicUrl(options.apiUrl),
      levels: options.levels,
      preview: options.preview,
      discovered: crawled.discovered,
      optionsDigest: contentOptionsDigest(options, plan.locales),
    },
    {
      extraFiles: {
        ...profileFile(content),
        ...media.extraFiles,
        ...inferred?.extraFiles,
      },
      ...(unchanged ? { unchanged } : {}),
    },
    inferred,
  );
  if (written.repaired.length > 0) {
    const [first, ...more] = written.repaired;
    warn(
      `the snapshot in ${options.out} had damaged files (${first}${more.length > 0 ? ` and ${more.length} more` : ''}: not the bytes its manifest lists); they were written again from the API's answers`,
    );
  }
  const removedMedia = await pruneUnusedMedia(media.used, options).catch((error: unknown) => {
    // The snapshot is in: a file that cannot be removed fails nothing.
    warn(`could not remove the media files the content no longer uses: ${describeFsError(error)}`);
    return undefined;
  });
  const end = performance.now();
  emit({ type: 'phase', phase: 'done' });

  return {
    requests: client.stats.requests,
    retries: client.stats.retries,
    bytes: client.stats.bytes,
    entities: countEntities(content),
    pageTypes: crawled.pageTypes,
    collections: crawled.collections,
    locales: content.locales.map((l) => l.locale),
    discovered: crawled.discovered,
    preview: options.preview,
    levels: options.levels,
    out: options.out,
    changed: written.changed,
    manifest: written.manifest,
    ...(hooks.only && base ? { partial: hooks.only } : {}),
    ...(warm ? { warm } : {}),
    durationMs: Math.round(end - started),
    timings: {
      crawlMs: Math.round(crawlEnd - started),
      mediaMs: Math.round(mediaEnd - crawlEnd),
      writeMs: Math.round(end - inferEnd - typesMs),
      typesMs: Math.round(inferEnd - mediaEnd + typesMs),
    },
    warnings,
    ...(media.report
      ? {
          media: {
            ...media.report,
            ...(removedMedia === undefined ? {} : { removed: removedMedia }),
          },
        }
      : {}),
    ...(types.report ? { types: types.report } : {}),
  };
}

function asButterError(
  error: unknown,
  options: ResolvedOptions,
  signal: AbortSignal | undefined,
): ButterError {
  if (error instanceof ButterError) return withoutVersion(error, options.apiUrl);
  if (signal?.aborted) {
    const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
    return new ButterError(`sync stopped: ${reason}`, { code: 'SYNC' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ButterError(`sync failed: ${redact(message, options.token)}`, {
    code: 'SYNC',
    hint: 'Run the sync again; if it keeps failing, report it with this message.',
    cause: sanitizeCause(error, options.token),
  });
}

/**
 * A 404 from an API URL that does not end in a version (`/v2`): the base URL is wrong, not the
 * page type or slug — every Read API path lives under `/v2`.
 */
function withoutVersion(error: ButterError, apiUrl: string): ButterError {
  if (error.code !== 'NOT_FOUND' || /\/v\d+$/.test(new URL(apiUrl).pathname)) return error;
  return new ButterError(error.summary, {
    code: 'NOT_FOUND',
    hint: `The API URL ${publicUrl(apiUrl)} does not end in /v2: the base URL is probably missing \`/v2\` (\`apiUrl\`, --api-url or BUTTERCMS_API_URL; the default is ${DEFAULT_API_URL}).`,
    cause: error,
  });
}
