/**
 * Counting and describing a sync's result: entities by kind, and the one-line summary
 * (`synced 124 pages · 3 collections · 57 posts … in 2.1s · 31 requests`).
 */
import type { StagedContent } from '../model/content.ts';
import { formatBytes, formatDuration, plural } from '../toolkit/format.ts';
import type { EntityCounts, SyncResult, WarmReport } from './types.ts';

/** Entities by kind; localized content counts once per locale. */
export function countEntities(content: StagedContent): EntityCounts {
  let singlePages = 0;
  let pages = 0;
  let items = 0;
  for (const locale of content.locales) {
    singlePages += locale.singlePages.length;
    for (const list of Object.values(locale.pageTypes)) pages += list.length;
    for (const list of Object.values(locale.collections)) items += list.length;
  }
  return {
    singlePages,
    pages,
    items,
    posts: content.blog.posts.length,
    authors: content.blog.authors.length,
    categories: content.blog.categories.length,
    tags: content.blog.tags.length,
  };
}

/** Media URLs the sync left remote because their host is not in `mediaHosts`, by host. */
export function remoteMediaHosts(result: SyncResult): [string, number][] {
  return Object.entries(result.media?.remote ?? {}).filter(([, n]) => n > 0);
}

function remoteMedia(result: SyncResult): number {
  return remoteMediaHosts(result).reduce((sum, [, n]) => sum + n, 0);
}

/** The one-line summary of a finished sync. */
export function formatSummary(result: SyncResult): string {
  const e = result.entities;
  const parts = [
    plural(e.singlePages + e.pages, 'page'),
    plural(result.pageTypes.length, 'page type'),
    `${plural(e.items, 'item')} in ${plural(result.collections.length, 'collection')}`,
    plural(e.posts, 'post'),
    plural(e.authors, 'author'),
    plural(e.categories, 'category'),
    plural(e.tags, 'tag'),
  ];
  if (result.media) parts.push(result.media.summary);
  const remote = remoteMedia(result);
  if (remote > 0) parts.push(`${plural(remote, 'media URL')} left remote`);
  const removed = result.media?.removed ?? 0;
  if (removed > 0) parts.push(`${plural(removed, 'unused media file')} removed`);
  if (result.locales.length > 1 || result.locales[0] !== null) {
    parts.push(plural(result.locales.length, 'locale'));
  }
  const tail = [
    plural(result.requests, 'request'),
    ...(result.retries > 0 ? [plural(result.retries, 'retry')] : []),
    formatBytes(result.bytes),
  ];
  const what = result.preview ? 'synced (preview)' : 'synced';
  if (result.warm) tail.push(describeWarm(result.warm));
  const unchanged = result.changed ? '' : ' · unchanged, nothing written';
  return `${what} ${parts.join(' · ')} in ${formatDuration(result.durationMs)} · ${tail.join(' · ')}${unchanged}`;
}

/** What a warm sync did, in words (`--full` forces a cold one). */
export function describeWarm(warm: WarmReport): string {
  const posts = warm.postPages > 0 ? `, ${plural(warm.postPages, 'page')} of posts` : '';
  return `warm: ${plural(warm.checked, 'listing')} checked, ${warm.skipped} unchanged, ${warm.refetched} fetched again${posts} · ${plural(Math.max(warm.callsSaved, 0), 'request')} saved`;
}
