/**
 * `media.json` in the snapshot: the size and format of every image its content uses, by file
 * name, so that a site's image optimiser (`next/image`, `astro:assets`) gets them without
 * opening the file. Pure (no Node built-ins): the sites' readers parse it too.
 *
 * ```json
 * { "3f1c….jpg": { "width": 800, "height": 600, "format": "jpg" } }
 * ```
 */
import { isObject } from '../model/json.ts';
import type { MediaManifest } from './manifest.ts';
import { isMediaFileName } from './names.ts';
import type { ImageInfo } from './probe.ts';

export type { ImageInfo } from './probe.ts';

/** The file's path in the snapshot (an `extraFiles` entry of the sync). */
export const MEDIA_INFO_FILE = 'media.json';

/** Media file name → its image info. */
export type MediaInfoIndex = ReadonlyMap<string, ImageInfo>;

/** `width`, `height` and `format` of an entry when all three are valid, else nothing. */
export function imageFields(entry: Record<string, unknown>): ImageInfo | undefined {
  const { width, height, format } = entry;
  const size = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (
    !size(width) ||
    !size(height) ||
    typeof format !== 'string' ||
    !/^[a-z0-9]{1,8}$/.test(format)
  )
    return undefined;
  return { width, height, format };
}

/** The images among `used` files that the manifest knows the size of. */
export function mediaInfoIndex(manifest: MediaManifest, used: ReadonlySet<string>): MediaInfoIndex {
  const index = new Map<string, ImageInfo>();
  for (const entry of manifest.values()) {
    const info = imageFields(entry as unknown as Record<string, unknown>);
    if (info && used.has(entry.file)) index.set(entry.file, info);
  }
  return index;
}

/** The file's text: names sorted, one per line. */
export function serializeMediaInfo(index: MediaInfoIndex): string {
  const names = [...index.keys()].sort();
  const lines = names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(index.get(name))}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Parses the file's JSON value; entries that are not media file names or sizes are left out. */
export function parseMediaInfo(value: unknown): MediaInfoIndex {
  const index = new Map<string, ImageInfo>();
  if (!isObject(value)) return index;
  for (const [name, entry] of Object.entries(value)) {
    const info = isObject(entry) ? imageFields(entry) : undefined;
    if (info && isMediaFileName(name)) index.set(name, info);
  }
  return index;
}

/**
 * The media file a URL or path names (`/buttercms/3f1c….jpg`, `https://site/m/3f1c….jpg?w=1`):
 * its last path segment when that is a media file name.
 */
export function mediaFileOf(src: string): string | undefined {
  const path = src.split(/[?#]/, 1)[0]!;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return isMediaFileName(name) ? name : undefined;
}
