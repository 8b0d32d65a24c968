/**
 * The page side of the Next.js integration (`unplugin-buttercms/next/reader`): what server
 * components and route handlers import. Nothing here reaches the sync, the codegen or the
 * watcher, so neither Turbopack nor webpack bundles them into a page.
 *
 * In `next dev`, importing this module makes the page depend on the snapshot's manifest (see
 * `./stamp.ts`): when watch mode (or `butter-sync`) rewrites it, Next re-evaluates the page's
 * modules — a `createLocalButter` made at module level included — and refreshes the open tab.
 */
import stamp from 'unplugin-buttercms/next/stamp';
import { manifestStamp } from '../../core/reader/follow.ts';
import {
  createLocalButter,
  type LocalButter,
  type ReaderOptions,
} from '../../core/reader/index.ts';
import { loadMediaInfo, type MediaImage, type MediaLookup } from '../../core/reader/media-info.ts';

/** The snapshot folder `withButter` configured, else `.buttercms`. */
export function snapshotDir(): string {
  // Spelled out (SNAPSHOT_ENV in ./stamp.ts): Next inlines `process.env.<NAME>` from `env`.
  return process.env.BUTTERCMS_SNAPSHOT ?? '.buttercms';
}

/**
 * Re-reads `load(dir)` whenever the snapshot changes (its manifest's stamp, `manifestStamp`: a
 * stat per call, not a parse of the manifest). The stamp module takes part when there is no
 * manifest, so that no bundler drops its import as unused: the dependency is the point (see
 * above).
 */
function following<T>(dir: string, load: (dir: string) => T | Promise<T>): () => Promise<T> {
  const stampOf = manifestStamp(dir);
  let current: { value: Promise<T>; version: number | string | undefined } | undefined;
  return async () => {
    const version = stampOf() || stamp?.syncedAt;
    if (!current || current.version !== version) {
      const value = Promise.resolve(load(dir));
      value.catch(() => (current = undefined));
      current = { value, version };
    }
    return current.value;
  };
}

/**
 * A getter of the local reader, re-created when the snapshot changes (watch mode in `next dev`,
 * `butter-sync` in another terminal, a sync by a running `next start`'s neighbour):
 *
 *   const getButter = nextButter();
 *   const { data } = await (await getButter()).page.retrieve('landing-page', 'home');
 *
 * `options.cache` bounds the memory the reader keeps content in (the `readerCache` option).
 */
export function nextButter(
  dir = snapshotDir(),
  options?: ReaderOptions,
): () => Promise<LocalButter> {
  return following(dir, (folder) => createLocalButter(folder, options));
}

const lookups = new Map<string, () => Promise<MediaLookup>>();

/**
 * Props for `next/image` from a media field's value (`'/buttercms/….jpg'` or `{ url, alt }`):
 * `{ src, width, height, alt }`, the size read from the file at sync time. `undefined` when the
 * value is empty or not a downloaded image (a file that failed to download stays remote).
 *
 *   const hero = await butterImage(page.fields.hero, page.fields.headline);
 *   {hero && <Image {...hero} />}
 */
export async function butterImage(
  value: unknown,
  alt?: string,
  dir = snapshotDir(),
): Promise<Pick<MediaImage, 'src' | 'alt' | 'width' | 'height'> | undefined> {
  let lookup = lookups.get(dir);
  if (!lookup) {
    lookup = following(dir, loadMediaInfo);
    lookups.set(dir, lookup);
  }
  const image = (await lookup()).image(value, alt);
  return image && { src: image.src, alt: image.alt, width: image.width, height: image.height };
}
