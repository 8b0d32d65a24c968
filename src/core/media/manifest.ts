/**
 * The media cache manifest, `<mediaDir>/media-manifest.json`: which file holds each URL's
 * bytes. A URL found there whose file still exists is not downloaded again (ButterCMS media
 * URLs name immutable uploads; a changed file gets a new URL).
 *
 * ```json
 * { "version": 1,
 *   "files": { "https://cdn.buttercms.com/abc": { "file": "3f1c….jpg", "type": "image/jpeg", "bytes": 1234,
 *                                                 "width": 800, "height": 600, "format": "jpg" } } }
 * ```
 *
 * `width`, `height` and `format` are read from the bytes at download time (images only; an
 * entry written before they were recorded gets them on the next sync). An image whose size
 * cannot be read (a format `image-size` does not know, a damaged file) is marked
 * `"unsized": true`, so that no later sync reads its bytes again to find out.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isObject } from '../model/json.ts';
import { writeIfChanged } from '../toolkit/write-if-changed.ts';
import { imageFields } from './info.ts';
import { isMediaFileName } from './names.ts';
import type { ImageInfo } from './probe.ts';

export const MANIFEST_FILE = 'media-manifest.json';
/** Base name of the manifest's temporary files (`.media-manifest.json.<pid>-<random>.tmp`). */
export const MANIFEST_TEMP = `.${MANIFEST_FILE}`;
export const MANIFEST_VERSION = 1;

/** A downloaded file: its name in the media folder, its Content-Type and size; for an image, its dimensions. */
export interface MediaFile extends Partial<ImageInfo> {
  file: string;
  type: string;
  bytes: number;
  /** An image whose size could not be read from its bytes: not probed again. */
  unsized?: true;
}

/** URL → file. A `Map`, so any URL (even `__proto__`) is a plain key. */
export type MediaManifest = Map<string, MediaFile>;

/**
 * Reads the manifest of `dir`. A missing, unreadable or foreign manifest is an empty cache (the
 * files are downloaded again); entries naming anything but a media file name are dropped.
 */
export async function readManifest(dir: string): Promise<MediaManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return new Map();
  }
  return parseManifest(text);
}

/** Parses manifest JSON (pure); anything malformed is left out. */
export function parseManifest(text: string): MediaManifest {
  const manifest: MediaManifest = new Map();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return manifest;
  }
  if (!isObject(data) || data.version !== MANIFEST_VERSION || !isObject(data.files)) {
    return manifest;
  }
  for (const [url, entry] of Object.entries(data.files)) {
    if (
      isObject(entry) &&
      typeof entry.file === 'string' &&
      isMediaFileName(entry.file) &&
      typeof entry.type === 'string' &&
      typeof entry.bytes === 'number' &&
      Number.isSafeInteger(entry.bytes) &&
      entry.bytes >= 0
    ) {
      manifest.set(url, {
        file: entry.file,
        type: entry.type,
        bytes: entry.bytes,
        ...(entry.unsized === true ? { unsized: true } : imageFields(entry)),
      });
    }
  }
  return manifest;
}

/** Manifest JSON (pure): URLs sorted, two-space indentation, trailing newline. */
export function serializeManifest(manifest: MediaManifest): string {
  const urls = [...manifest.keys()].sort();
  // fromEntries defines own properties: a `__proto__` URL is serialized like any other.
  const files = Object.fromEntries(
    urls.map((url) => {
      const { file, type, bytes, unsized, ...image } = manifest.get(url)!;
      return [url, { file, type, bytes, ...(unsized ? { unsized } : imageFields(image)) }];
    }),
  );
  return `${JSON.stringify({ version: MANIFEST_VERSION, files }, null, 2)}\n`;
}

/** Writes the manifest atomically (temp file + rename), only when its bytes change. */
export function writeManifest(dir: string, manifest: MediaManifest): Promise<boolean> {
  return writeIfChanged(join(dir, MANIFEST_FILE), serializeManifest(manifest), MANIFEST_TEMP);
}
