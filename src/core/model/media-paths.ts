/**
 * Media values as the snapshot stores them (`{url, alt}`, fetched with `alt_media_text=1`) and
 * as the API serves them without that flag (the URL). An object of that shape is not always
 * media: a repeater of links has rows like `{url}` too. Which ones are content is learned per
 * listing from the media probes (`learnNotMedia`); anywhere else such an object is taken for
 * media, which is what it almost always is.
 */

import type { Json, JsonObject, ListingRef } from './content.ts';
import { isObject } from './json.ts';

/** A place inside an entity: its keys, and `0` for any element of an array. */
export type ValuePath = (string | 0)[];

/** The places in one listing's entities where `{url, alt}`-shaped objects are content. */
export interface NotMedia {
  listing: ListingRef;
  paths: ValuePath[];
}

/** Lookup keys of `NotMedia` paths (`pathKey`); empty where nothing was learned. */
export type ContentPaths = ReadonlySet<string>;

/** No content paths: every `{url, alt}`-shaped object is media. */
export const NO_CONTENT_PATHS: ContentPaths = new Set();

/** A stored media object: `{url, alt}`, or `{url}` when the media has no alt text. */
export function isMediaObject(value: Json): value is JsonObject {
  if (!isObject(value) || typeof value.url !== 'string') return false;
  const keys = Object.keys(value);
  return keys.every((k) => k === 'url' || k === 'alt') && (keys.length === 1 || keys.length === 2);
}

/** Adds to `found` the paths (`pathKey`) of the `{url, alt}`-shaped objects in `value`. */
export function mediaShapedPaths(value: Json, found: Set<string>, path: ValuePath = []): void {
  if (Array.isArray(value)) {
    path.push(0);
    for (const item of value) mediaShapedPaths(item, found, path);
    path.pop();
  } else if (isMediaObject(value)) {
    found.add(pathKey(path));
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      path.push(key);
      mediaShapedPaths(value[key]!, found, path);
      path.pop();
    }
  }
}

export const pathKey = (path: readonly (string | 0)[]): string => JSON.stringify(path);

/** Names a listing in maps (`page:<type>`, `item:<key>`). */
export const listingKey = (listing: ListingRef): string =>
  listing.kind === 'page' ? `page:${listing.pageType}` : `item:${listing.key}`;

/** `NotMedia` as lookups by `listingKey`. */
export function contentPathsByListing(notMedia: readonly NotMedia[]): Map<string, ContentPaths> {
  return new Map(
    notMedia.map(({ listing, paths }) => [listingKey(listing), new Set(paths.map(pathKey))]),
  );
}

/**
 * Compares an entity as stored with the same entity served without `alt_media_text`: adds the
 * paths where a `{url, alt}`-shaped object became a URL to `media`, and those where it stayed an
 * object to `content`.
 */
export function compareMedia(
  stored: Json,
  answered: Json | undefined,
  found: { media: Set<string>; content: Map<string, ValuePath> },
  path: ValuePath = [],
): void {
  if (isMediaObject(stored)) {
    if (typeof answered === 'string') found.media.add(pathKey(path));
    else if (isObject(answered)) found.content.set(pathKey(path), [...path]);
    return;
  }
  if (Array.isArray(stored) && Array.isArray(answered)) {
    path.push(0);
    for (const [i, value] of stored.entries()) compareMedia(value, answered[i], found, path);
    path.pop();
  } else if (isObject(stored) && isObject(answered)) {
    for (const key of Object.keys(stored)) {
      if (!Object.hasOwn(answered, key)) continue;
      path.push(key);
      compareMedia(stored[key]!, answered[key], found, path);
      path.pop();
    }
  }
}
