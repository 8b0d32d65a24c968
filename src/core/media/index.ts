/**
 * The media stage: between the crawl and the snapshot write, download every media file the
 * content uses and rewrite its URLs to local paths under `mediaBase`.
 *
 * collect (pure) → download (I/O, own limiter, cache manifest) → rewrite (pure).
 */

import { ButterError } from '../errors.ts';
import type { EntityList, SnapshotContent } from '../model/content.ts';
import { replaceListings } from '../model/entity-list.ts';
import type { ResolvedOptions } from '../options.ts';
import { redact } from '../redact.ts';
import { formatBytes, plural } from '../toolkit/format.ts';
import { collectMediaUrls, type MediaUse, mediaUrlsOf } from './collect.ts';
import {
  DEFAULT_MAX_BYTES,
  downloadMedia,
  type MediaFailure,
  type MediaReport,
  type MediaRetry,
} from './download.ts';
import { MEDIA_INFO_FILE, mediaInfoIndex, serializeMediaInfo } from './info.ts';
import { publicPath } from './names.ts';
import { mentionedMediaFiles } from './prune.ts';
import { rewriteMediaUrls, rewriteMediaUrlsInPlace } from './rewrite.ts';

export { collectMediaUrls, entitiesOf, type MediaUse, mediaUrlsOf } from './collect.ts';
export {
  DEFAULT_MAX_BYTES,
  type DownloadOptions,
  describeMediaRetry,
  downloadMedia,
  type MediaFailure,
  type MediaReport,
  mediaRetryDelay,
} from './download.ts';
export { isMediaUrl, normalizeHosts } from './hosts.ts';
export { findHtmlUrls, type HtmlUrl, srcsetUrls } from './html.ts';
export {
  type ImageInfo,
  MEDIA_INFO_FILE,
  type MediaInfoIndex,
  mediaFileOf,
  mediaInfoIndex,
  parseMediaInfo,
  serializeMediaInfo,
} from './info.ts';
export {
  MANIFEST_FILE,
  type MediaFile,
  type MediaManifest,
  parseManifest,
  readManifest,
  serializeManifest,
} from './manifest.ts';
export { isMediaFileName, mediaFileName, publicPath } from './names.ts';
export { imageInfo, isImageFile, probeImageFile } from './probe.ts';
export { mentionedMediaFiles, pruneMedia } from './prune.ts';
export { rewriteEntities, rewriteMediaUrls, rewriteString } from './rewrite.ts';
export { extensionFor, mediaTypeOf } from './types.ts';

/** A media file that could not be downloaded: its URL stays remote. */
export interface MediaWarning {
  code: 'MEDIA';
  /** Printable: `media not downloaded: https://… (HTTP 404), used by post hello at body; …`. */
  message: string;
  url: string;
  reason: string;
  /** Every place the URL is used. */
  uses: MediaUse[];
}

export interface MediaHooks {
  onWarning?(warning: MediaWarning): void;
  onProgress?(done: number, total: number): void;
  onRetry?(retry: MediaRetry): void;
  /** Overrides for tests and benchmarks. */
  fetch?: typeof fetch;
  maxBytes?: number;
  retryDelay?: (attempt: number) => number;
  signal?: AbortSignal;
  /**
   * Rewrite the URLs in the content given, which is then the content returned, instead of in a
   * copy: for a caller that owns it (the sync), which would otherwise hold the account twice.
   */
  inPlace?: boolean;
}

const SHOWN_USES = 5;

/**
 * A field path as its owner knows it: without the API's `fields` wrappers (page fields,
 * components) and a media value's own `url` key — `fields.body[0].fields.image.url` is
 * `body[0].image`.
 */
function userField(path: string): string {
  return path
    .replace(/^fields\./, '')
    .replaceAll('.fields.', '.')
    .replace(/\.url$/, '');
}

/**
 * Where a URL is used, in the user's terms: each entity and field they edit once, with its
 * locales (`single page about (en, fr) at hero_image`); the probes' copies are left out.
 */
export function describeUses(uses: readonly MediaUse[]): string {
  const places = new Map<string, { entity: string; field: string; locales: string[] }>();
  for (const use of uses) {
    if (use.probe) continue;
    const field = userField(use.field);
    const key = JSON.stringify([use.entity, field]);
    const place = places.get(key) ?? { entity: use.entity, field, locales: [] };
    places.set(key, place);
    if (use.locale !== null && !place.locales.includes(use.locale)) place.locales.push(use.locale);
  }
  const shown = [...places.values()].slice(0, SHOWN_USES).map(({ entity, field, locales }) => {
    const where = locales.length > 0 ? `${entity} (${locales.join(', ')})` : entity;
    return `${where} at ${field}`;
  });
  if (places.size > SHOWN_USES) shown.push(`${places.size - SHOWN_USES} more`);
  return shown.join('; ');
}

/** `<url> (<reason>), used by …`: one failed URL and where the content uses it. */
function describeFailure(failure: MediaFailure, uses: readonly MediaUse[]): string {
  const places = describeUses(uses);
  return redact(`${failure.url} (${failure.reason})${places ? `, used by ${places}` : ''}`);
}

/** The warning for one failed URL, naming it and where it is used. */
export function mediaWarning(failure: MediaFailure, uses: readonly MediaUse[]): MediaWarning {
  const message = `media not downloaded: ${describeFailure(failure, uses)}; the URL stays remote`;
  return { code: 'MEDIA', message, url: failure.url, reason: failure.reason, uses: [...uses] };
}

/** An empty report, for `media: false`. */
function emptyReport(): MediaReport {
  return { files: new Map(), downloaded: 0, cached: 0, failed: [], bytes: 0, manifest: new Map() };
}

/**
 * Downloads the media `content` uses (hosts `options.mediaHosts`, into `options.mediaDir`) and
 * returns the content with those URLs rewritten to `options.mediaBase` + file. A file that fails
 * is a warning (`hooks.onWarning`) and keeps its remote URL; with `options.strict` any failure
 * throws a `ButterError` (code `MEDIA`) after the successful downloads are saved in the cache.
 * With `options.media === false` the content is returned unchanged and nothing is fetched.
 */
export async function syncMedia<L extends EntityList>(
  content: SnapshotContent<L>,
  options: ResolvedOptions,
  hooks: MediaHooks = {},
): Promise<{
  content: SnapshotContent<L>;
  report: MediaReport;
  warnings: MediaWarning[];
  /** Media URLs left remote because their host is not in `mediaHosts`: how many, by host. */
  remote: Map<string, number>;
  /** `media.json` for the snapshot (nothing when no image is used). */
  extraFiles: Record<string, string>;
  /** The media file names the returned content mentions (what `pruneMedia` keeps). */
  used: ReadonlySet<string>;
  /** With `inPlace`: the entities (and probe answers) whose URLs were rewritten. */
  rewritten: ReadonlySet<object>;
}> {
  if (!options.media) {
    const none = { report: emptyReport(), warnings: [], remote: new Map(), extraFiles: {} };
    return { content, ...none, used: new Set(), rewritten: new Set() };
  }
  const remote = new Map<string, Set<string>>();
  const { urls, holders, lists } = mediaUrlsOf(content, options.mediaHosts, remote);
  const report = await downloadMedia(urls, {
    dir: options.mediaDir,
    hosts: options.mediaHosts,
    concurrency: options.concurrency,
    timeout: options.timeout,
    retries: options.retries,
    maxBytes: hooks.maxBytes ?? DEFAULT_MAX_BYTES,
    ...(hooks.fetch ? { fetch: hooks.fetch } : {}),
    ...(hooks.retryDelay ? { retryDelay: hooks.retryDelay } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
  });
  const failed = new Set(report.failed.map((f) => f.url));
  const uses =
    failed.size > 0
      ? collectMediaUrls(content, options.mediaHosts, undefined, failed)
      : new Map<string, MediaUse[]>();
  if (options.strict && report.failed.length > 0) {
    const n = report.failed.length;
    const lines = report.failed.map((f) => `  - ${describeFailure(f, uses.get(f.url) ?? [])}`);
    throw new ButterError(
      `${plural(n, 'media file')} could not be downloaded (strict mode):\n${lines.join('\n')}`,
      {
        code: 'MEDIA',
        hint: 'Fix or remove the media in ButterCMS, or sync without `strict` to keep these URLs remote.',
      },
    );
  }
  const warnings = report.failed.map((f) => mediaWarning(f, uses.get(f.url) ?? []));
  for (const warning of warnings) hooks.onWarning?.(warning);
  const map = new Map<string, string>();
  for (const [url, entry] of report.files) map.set(url, publicPath(options.mediaBase, entry.file));
  let result = content;
  const rewritten = new Set<object>();
  // In place, only what holds a media URL: on a warm sync that is the few entities answered anew.
  if (hooks.inPlace) {
    for (const holder of holders) if (rewriteMediaUrlsInPlace(holder, map)) rewritten.add(holder);
    // A spooled listing is rewritten into a new one, an entity at a time.
    const replaced = new Map<EntityList, EntityList>();
    for (const list of lists) {
      replaced.set(
        list,
        list.map((entity) => {
          rewriteMediaUrlsInPlace(entity, map);
          return entity;
        }),
      );
    }
    replaceListings(content, replaced);
  } else result = rewriteMediaUrls(content, map);
  // From the whole manifest (not read again: on 70k files a parse holds 70 MB of heap): a
  // partial sync's content already names files of earlier runs.
  const used = mentionedMediaFiles(result);
  const images = mediaInfoIndex(report.manifest, used);
  const extraFiles: Record<string, string> =
    images.size > 0 ? { [MEDIA_INFO_FILE]: serializeMediaInfo(images) } : {};
  return {
    content: result,
    report,
    warnings,
    remote: new Map([...remote].map(([host, urls]) => [host, urls.size])),
    extraFiles,
    used,
    rewritten,
  };
}

/** One summary fragment: `57 media (12 new, 45 cached, 1 failed, 3.4 MB)`. */
export function describeMediaReport(report: MediaReport): string {
  const total = report.files.size + report.failed.length;
  const parts = [`${report.downloaded} new`, `${report.cached} cached`];
  if (report.failed.length > 0) parts.push(`${report.failed.length} failed`);
  parts.push(formatBytes(report.bytes));
  return `${total} media (${parts.join(', ')})`;
}
