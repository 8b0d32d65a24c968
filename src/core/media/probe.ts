/**
 * Width, height and format of downloaded images, read from the file's first bytes by
 * `image-size` (PNG, JPEG, GIF, WebP, AVIF, SVG, BMP, TIFF, ICO, HEIF …), so that sites can
 * give `next/image` and `astro:assets` the intrinsic size without opening the file again.
 */
import { open } from 'node:fs/promises';
import { imageSize } from 'image-size';

/** What an image optimiser needs besides the file: its displayed size and its format. */
export interface ImageInfo {
  width: number;
  height: number;
  /** `png`, `jpg`, `gif`, `webp`, `avif`, `svg`, … (image-size's names). */
  format: string;
}

/** Bytes of a file's head read to find its size: enough for JPEGs with large EXIF blocks. */
export const PROBE_BYTES = 512 * 1024;

/** Extensions (as `names.ts` gives them) of the files worth probing. */
const IMAGE_EXTENSIONS = new Set([
  'jpg',
  'png',
  'apng',
  'gif',
  'webp',
  'avif',
  'svg',
  'bmp',
  'tif',
  'ico',
  'heic',
  'heif',
]);

export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.has(file.slice(file.lastIndexOf('.') + 1));
}

/**
 * The image in `head` (a file's first bytes), or `undefined` when it is not an image whose size
 * can be read (an SVG without width and height or viewBox, a damaged file). EXIF orientations
 * 5–8 rotate by 90°: the size given is the displayed one, as browsers and optimisers show it.
 */
export function imageInfo(head: Uint8Array): ImageInfo | undefined {
  let found: ReturnType<typeof imageSize>;
  try {
    found = imageSize(head);
  } catch {
    return undefined;
  }
  const { width, height, type, orientation } = found;
  if (!type || !(width > 0) || !(height > 0)) return undefined;
  const rotated = orientation !== undefined && orientation >= 5 && orientation <= 8;
  return rotated ? { width: height, height: width, format: type } : { width, height, format: type };
}

/** `imageInfo` of a file on disk (its first `PROBE_BYTES`). */
export async function probeImageFile(path: string): Promise<ImageInfo | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(PROBE_BYTES);
    const { bytesRead } = await handle.read(head, 0, PROBE_BYTES, 0);
    return imageInfo(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
