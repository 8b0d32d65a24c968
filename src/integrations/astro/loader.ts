/**
 * Astro content-layer loader over the snapshot:
 *
 *   // src/content.config.ts
 *   import { defineCollection } from 'astro:content';
 *   import { buttercmsLoader } from 'unplugin-buttercms/astro';
 *   export const collections = {
 *     landing: defineCollection({ loader: buttercmsLoader({ pageType: 'landing-page' }) }),
 *     team: defineCollection({ loader: buttercmsLoader({ collection: 'team' }) }),
 *     blog: defineCollection({ loader: buttercmsLoader({ posts: true }) }),
 *   };
 *
 * Entries are what the local reader returns (references expanded to `levels`), keyed by slug
 * (pages, posts) or item id; each carries a digest so Astro skips unchanged ones. The schema
 * comes from the same inference as `buttercms.d.ts`, and makes downloaded images Astro images
 * (`./images.ts`). In `astro dev` the entries follow the snapshot as watch mode refreshes it.
 * Typed with Astro's own `Loader` (astro 6 and 7).
 */
import { join } from 'node:path';
import type { Loader, LoaderContext } from 'astro/loaders';
import { readTypesLock } from '../../core/codegen/write.ts';
import { type Options, resolveSnapshotOptions, type SnapshotOptions } from '../../core/options.ts';
import { followSnapshot } from '../../core/reader/follow.ts';
import type { LocalButter } from '../../core/reader/index.ts';
import { loadMediaInfo } from '../../core/reader/media-info.ts';
import type { Logger } from '../../core/toolkit/log.ts';
import { type Entry, listEntries } from './entries.ts';
import { entryMediaMap, mediaSchema, WITH_IMAGES } from './images.ts';
import { type LoaderTarget, schemaFor, type ZodLike } from './schema.ts';
import { onSnapshotChange, registeredOptions, sharedPrepare } from './shared.ts';

/**
 * What one loader reads. Once `buttercms.d.ts` is generated, a name written as a literal must be
 * a synced page type, single page or collection (`KnownKey`): a misspelling is a type error.
 */
export type LoaderOptions<Name extends string = string> = LoaderTarget<Name> & {
  /** Locale to read (default: the snapshot's first). */
  locale?: string;
  /** Reference depth of the entries (default: the reader's, 2). */
  levels?: number;
  /** Plugin options; by default those given to the integration in astro.config. */
  options?: Options;
};

export type ButterLoader = Loader;

const ZOD = 'astro/zod';

/**
 * One reader per snapshot folder (and cache size) for every loader of the process: the loaders
 * of one site read the same entities (the items their pages reference, say), and parse them
 * once. Re-created when the snapshot changes.
 */
const readers = new Map<string, () => LocalButter>();
function readerOf(out: string, cache: number): LocalButter {
  const key = `${cache}:${out}`;
  let reader = readers.get(key);
  if (!reader) {
    reader = followSnapshot(out, { cache });
    readers.set(key, reader);
  }
  return reader();
}

type Prepare = (log: Logger) => Promise<{ out: string; options: SnapshotOptions }>;

export function buttercmsLoader<Name extends string>(given: LoaderOptions<Name>): Loader {
  const target: LoaderOptions = given;
  // Resolved at the first use: the integration registers its options in astro.config's setup.
  let resolved: SnapshotOptions | undefined;
  const options = () => {
    resolved ??= target.options ? resolveSnapshotOptions(target.options) : registeredOptions();
    return resolved;
  };
  const prepare: Prepare = (log) => sharedPrepare(options(), { log });
  let unsubscribe: (() => void) | undefined;

  async function fill(
    context: LoaderContext,
    prepared: Awaited<ReturnType<Prepare>>,
  ): Promise<number> {
    const butter = readerOf(prepared.out, prepared.options.readerCache);
    const entries: Entry[] = await listEntries(butter, target);
    const ids = new Set(entries.map((e) => e.id));
    for (const id of context.store.keys()) if (!ids.has(id)) context.store.delete(id);
    for (const { id, data } of entries) {
      const parsed = await context.parseData({ id, data });
      context.store.set({ id, data: parsed, digest: context.generateDigest(data) });
    }
    return entries.length;
  }

  return {
    name: 'buttercms-loader',
    async load(context) {
      const prepared = await prepare(context.logger);
      const count = await fill(context, prepared);
      context.logger.info(`loaded ${count} entries from the ButterCMS snapshot`);
      const refill = () =>
        fill(context, prepared).catch((error: Error) =>
          context.logger.error(`reloading entries failed: ${error.message}`),
        );
      // Watch mode of the integration's Vite plugin refreshed the snapshot…
      unsubscribe?.();
      unsubscribe = onSnapshotChange((out) => {
        if (out === prepared.out) void refill();
      });
      // …or another process (butter-sync) rewrote it.
      const manifest = join(prepared.out, 'manifest.json');
      context.watcher?.add(manifest);
      context.watcher?.on('all', (_event: string, path: string) => {
        if (path === manifest) void refill();
      });
    },
    async createSchema() {
      const { z } = (await import(/* @vite-ignore */ ZOD)) as { z: ZodLike };
      const { schema, mediaMap } = await loaderSchema(z, target, prepare);
      return { schema: schema as never, types: entryType(target, mediaMap) };
    },
  };
}

/**
 * The module Astro writes to `.astro/loaders/<collection>.ts` for `getCollection` typing: the
 * entry type from the declarations `buttercms.d.ts` generates into 'unplugin-buttercms', with
 * `ImageMetadata` where the schema makes images (`mediaMap`, from `entryMediaMap`).
 */
export function entryType(target: LoaderTarget, mediaMap?: string): string {
  const type =
    'pageType' in target
      ? `PageOf<${JSON.stringify(target.pageType)}>`
      : 'singlePage' in target
        ? `PageOf<'*', ${JSON.stringify(target.singlePage)}>`
        : 'collection' in target
          ? `CollectionItem<${JSON.stringify(target.collection)}>`
          : 'PostOf';
  const imports = `import type { CollectionItem, PageOf, PostOf } from 'unplugin-buttercms';\n`;
  if (mediaMap === undefined) return `${imports}export type Entry = ${type};\n`;
  return `import type { ImageMetadata } from 'astro';\n${imports}${WITH_IMAGES}\nexport type Entry = WithImages<${type}, ${mediaMap}>;\n`;
}

/**
 * The Zod schema of a loader's entries (exported for tests, which pass plain zod), and where
 * it makes images.
 */
export async function loaderSchema(
  z: ZodLike,
  target: LoaderTarget,
  prepare: Prepare,
): Promise<{ schema: unknown; mediaMap?: string }> {
  const quiet: Logger = { info: () => {}, warn: console.warn, error: console.error };
  const { out, options } = await prepare(quiet);
  const lock = await readTypesLock(out);
  const fallback = () => z.object({}).passthrough?.() ?? z.unknown();
  if (!lock) return { schema: fallback() };
  if (!options.media) return { schema: schemaFor(z, lock, target) ?? fallback() };
  const media = mediaSchema(z, await loadMediaInfo(out), (file) => join(options.mediaDir, file));
  const schema = schemaFor(z, lock, target, media);
  if (!schema) return { schema: fallback() };
  const mediaMap = entryMediaMap(lock, target);
  return mediaMap === undefined ? { schema } : { schema, mediaMap };
}
