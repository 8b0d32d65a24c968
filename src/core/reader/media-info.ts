/**
 * The size and format of the snapshot's images (`media.json`, written by the media stage), for
 * image optimisers: `next/image` needs `width` and `height` for a path it cannot import, and
 * Astro's `image()` schema needs the file. Separate from the reader on purpose: the reader's
 * answers stay exactly the API's JSON; this is asked for explicitly.
 *
 *   const media = await loadMediaInfo('.buttercms');
 *   media.image(page.fields.hero)   // { src, alt, width, height, format } or undefined
 */
import { type ImageInfo, MEDIA_INFO_FILE, mediaFileOf, parseMediaInfo } from '../media/info.ts';
import { openSnapshot } from '../snapshot/read.ts';

export type { ImageInfo } from '../media/info.ts';

/** An image as optimisers take it. */
export interface MediaImage extends ImageInfo {
  src: string;
  alt: string;
}

export interface MediaLookup {
  /** Size and format of the image a URL or local path names; `undefined` when unknown. */
  info(src: string): ImageInfo | undefined;
  /**
   * A media field's value — its URL, or `{ url, alt }` (`alt_media_text: 1`) — as image
   * props; `undefined` when it is empty or not a downloaded image (a remote URL, a PDF).
   * `alt` is used when the value carries none.
   */
  image(value: unknown, alt?: string): MediaImage | undefined;
}

/** The media lookup of the snapshot in `dir` (empty when it has no `media.json`). */
export async function loadMediaInfo(dir: string): Promise<MediaLookup> {
  const files = await openSnapshot(dir);
  const index = Object.hasOwn(files.manifest.hashes, MEDIA_INFO_FILE)
    ? parseMediaInfo(await files.readJson(MEDIA_INFO_FILE))
    : new Map<string, ImageInfo>();
  const info = (src: string) => {
    const file = mediaFileOf(src);
    return file === undefined ? undefined : index.get(file);
  };
  return {
    info,
    image(value, alt = '') {
      const media = mediaValue(value);
      const found = media && info(media.url);
      return found && { src: media.url, alt: media.alt ?? alt, ...found };
    },
  };
}

/** `url` and `alt` of a media value, or `undefined` when it is not one. */
export function mediaValue(value: unknown): { url: string; alt?: string } | undefined {
  if (typeof value === 'string') return value === '' ? undefined : { url: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const { url, alt } = value as { url?: unknown; alt?: unknown };
  if (typeof url !== 'string' || url === '') return undefined;
  return typeof alt === 'string' ? { url, alt } : { url };
}
