/**
 * Keys for CI caches (`butter-sync --print-cache-key`): `buttercms-<config>-<content>`.
 *
 * - `config`: digest of the options that shape the snapshot (API URL without the token, levels,
 *   locales, page types, collections, preview, media and type settings, the snapshot format).
 *   Caches restore by this prefix: a snapshot of the same options, however old, that the warm
 *   sync then brings up to date for a few requests.
 * - `content`: digest of the snapshot on disk (its manifest, which lists the hash of every
 *   file, without the sync time), `none` without one: a cache saved under the full key is saved
 *   once per content, however many jobs synced it.
 */
import { relative } from 'node:path';
import type { SnapshotOptions } from '../options.ts';
import { publicUrl } from '../redact.ts';
import { hashText } from '../snapshot/hash.ts';
import { readManifest } from '../snapshot/index.ts';
import { FORMAT_VERSION, stableManifestText } from '../snapshot/manifest.ts';

const short = (text: string) => hashText(text).slice(0, 16);

export function configDigest(options: SnapshotOptions): string {
  const within = (path: string) => relative(options.root, path);
  return short(
    JSON.stringify({
      format: FORMAT_VERSION,
      source: publicUrl(options.apiUrl),
      levels: options.levels,
      locales: options.locales,
      pageTypes: options.pageTypes,
      collections: options.collections,
      preview: options.preview,
      media: options.media && {
        dir: within(options.mediaDir),
        base: options.mediaBase,
        hosts: options.mediaHosts,
      },
      types: options.types && { file: within(options.types), closedEnums: options.closedEnums },
    }),
  );
}

/** Digest of the snapshot in `out`, or `undefined` when there is none. */
export async function contentDigest(out: string): Promise<string | undefined> {
  const manifest = await readManifest(out);
  return manifest && short(stableManifestText(manifest));
}

export async function cacheKey(options: SnapshotOptions): Promise<string> {
  return `buttercms-${configDigest(options)}-${(await contentDigest(options.out)) ?? 'none'}`;
}
