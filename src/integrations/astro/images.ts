/**
 * Synced images as Astro images. In a content-layer collection, Astro's `image()` schema helper
 * turns a path into `__ASTRO_IMAGE_<path>`; the data store imports every such path and
 * `getCollection` hands out its `ImageMetadata` (src, width, height, format), which `<Image>`
 * and `getImage()` optimise. The loader's schema does the same for media fields that name a
 * downloaded image — with the file's absolute path — so `<Image src={entry.data.fields.hero}>`
 * needs nothing more; and the entry type it gives Astro says `ImageMetadata` at those fields.
 */
import type { Shape, TypesLock } from '../../core/codegen/model.ts';
import { mediaFileOf } from '../../core/media/info.ts';
import type { MediaLookup } from '../../core/reader/media-info.ts';
import type { LoaderTarget, ZodLike, ZodType } from './schema.ts';

/** What Astro's `image()` makes of a path in content-layer collections (astro/content/consts). */
export const IMAGE_IMPORT_PREFIX = '__ASTRO_IMAGE_';

/**
 * The schema of media strings: a downloaded image becomes an image import of its file, an empty
 * field `undefined`; anything else (a file that could not be downloaded keeps its remote URL, a
 * PDF) stays the string it is.
 */
export function mediaSchema(
  z: ZodLike,
  media: MediaLookup,
  fileOf: (name: string) => string,
): ZodType {
  return z.string().transform((src) => {
    if (src === '') return undefined;
    const file = mediaFileOf(src);
    return file && media.info(src) ? `${IMAGE_IMPORT_PREFIX}${fileOf(file)}` : src;
  });
}

const isMedia = (shape: Shape) =>
  shape.string?.kinds.length === 1 && shape.string.kinds[0] === 'media';

/**
 * A type literal of where `shape` holds media (`true`), e.g. `{ fields: { hero: true } }`;
 * `undefined` when nowhere. Arrays are transparent; the component types of a picker merge.
 */
function mediaMap(shape: Shape, lock: TypesLock, seen: Set<string>): string | undefined {
  if (isMedia(shape)) return shape.string!.empty || shape.null ? '"optional"' : 'true';
  const members = new Map<string, string>();
  const add = (key: string, map: string | undefined) => {
    if (map !== undefined && !members.has(key)) members.set(key, map);
  };
  for (const prop of shape.object?.props ?? []) add(prop.key, mediaMap(prop.shape, lock, seen));
  if (shape.array) {
    const inner = mediaMap(shape.array, lock, seen);
    if (inner !== undefined) return inner;
  }
  for (const type of shape.component ?? []) {
    if (seen.has(type)) continue;
    seen.add(type);
    const component = lock.components.find((c) => c.key === type);
    if (component) add('fields', mediaMap({ object: component.shape }, lock, seen));
    seen.delete(type);
  }
  if (members.size === 0) return undefined;
  const entries = [...members].map(([key, map]) => `${JSON.stringify(key)}: ${map}`);
  return `{ ${entries.join('; ')} }`;
}

/** `mediaMap` of one loader's entries. */
export function entryMediaMap(lock: TypesLock, target: LoaderTarget): string | undefined {
  const find = (list: TypesLock['pageTypes'], key: string) => list.find((e) => e.key === key);
  const entity =
    'pageType' in target
      ? find(lock.pageTypes, target.pageType)
      : 'singlePage' in target
        ? find(lock.singlePages, target.singlePage)
        : 'collection' in target
          ? find(lock.collections, target.collection)
          : find(lock.blog, 'post');
  if (!entity) return undefined;
  const map = mediaMap({ object: entity.shape }, lock, new Set());
  return map && ('pageType' in target || 'singlePage' in target ? `{ fields: ${map} }` : map);
}

/** The helper type of the generated entry module: `T` with `ImageMetadata` where `M` says. */
export const WITH_IMAGES = `type WithImages<T, M> = M extends true
  ? ImageMetadata
  : M extends 'optional'
    ? ImageMetadata | undefined
    : T extends readonly (infer E)[]
      ? WithImages<E, M>[]
      : T extends object
        ? { [K in keyof T]: K extends keyof M ? WithImages<T[K], M[K]> : T[K] }
        : T;`;
