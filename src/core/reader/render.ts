/**
 * Answers built in one pass over the stored entities, pure: each value is copied fresh (a
 * caller may change an answer; the stored entity is shared by the cache), media objects become
 * their URL on the way unless `alt_media_text=1` (except where the listing's media probe saw
 * content), and a reference inside an entity at depth d (the requested entity is depth 1) is
 * replaced by the referenced entity when d < levels, in the shape the server embeds it
 * (`EmbeddedProfile`), and kept as the stored URI string otherwise — exactly where the API cuts.
 */

import type { Json, JsonObject } from '../model/content.ts';
import { isObject, setOwn } from '../model/json.ts';
import {
  type ContentPaths,
  NO_CONTENT_PATHS,
  pathKey,
  type ValuePath,
} from '../model/media-paths.ts';
import type { EmbeddedProfile, PostShape } from '../model/profile.ts';

/** A stored entity as a reference names it. */
export interface Target {
  value: JsonObject;
  kind: 'page' | 'item';
  /** Where `{url, alt}`-shaped objects are content in it. */
  media: ContentPaths;
}

export interface Rendering {
  levels: number;
  /** `false` with `alt_media_text=1`: media objects stay objects. */
  urls: boolean;
  profile: EmbeddedProfile;
  /** The entity a reference URI names, read beforehand; `undefined` keeps the URI. */
  resolve(uri: string): Target | undefined;
}

/** Depth past every `levels`: the value is copied, its references left alone. */
const NO_EXPANSION = Number.POSITIVE_INFINITY;

/** No references to expand: copying and media only. */
const COPY: Rendering = {
  levels: 0,
  urls: true,
  profile: { pageKeys: [], itemDrop: [] },
  resolve: () => undefined,
};

function expandString(value: string, depth: number, r: Rendering): Json {
  if (depth >= r.levels || !value.includes('/v2/')) return value;
  const target = r.resolve(value);
  return target ? embed(target, depth + 1, r) : value;
}

/**
 * The URL of a stored media object (`{url, alt}` or `{url}`: `isMediaObject` with the keys at
 * hand), else `undefined`.
 */
function mediaUrl(value: JsonObject, keys: string[]): string | undefined {
  const url = value.url;
  if (typeof url !== 'string' || keys.length === 0 || keys.length > 2) return undefined;
  for (const key of keys) if (key !== 'url' && key !== 'alt') return undefined;
  return url;
}

/**
 * `value` (at `path` in its entity, tracked only where the entity has content paths) as served
 * at `depth`: a fresh copy.
 */
function serve(
  value: Json,
  depth: number,
  r: Rendering,
  media: ContentPaths,
  path: ValuePath | undefined,
): Json {
  if (typeof value === 'string') return expandString(value, depth, r);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    path?.push(0);
    const out = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = serve(value[i]!, depth, r, media, path);
    path?.pop();
    return out;
  }
  const keys = Object.keys(value);
  if (r.urls && keys.length <= 2) {
    const url = mediaUrl(value, keys);
    if (url !== undefined && !(path && media.has(pathKey(path)))) {
      return expandString(url, depth, r);
    }
  }
  const out: JsonObject = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    path?.push(key);
    const served = serve(value[key]!, depth, r, media, path);
    if (key === '__proto__') setOwn(out, key, served);
    else out[key] = served;
    path?.pop();
  }
  return out;
}

/** A value at the top of an entity, with the entity's content paths. */
const serveKey = (value: Json, key: string, depth: number, r: Rendering, media: ContentPaths) =>
  serve(value, depth, r, media, media.size > 0 ? [key] : undefined);

function embed(target: Target, depth: number, r: Rendering): JsonObject {
  const { value, media } = target;
  const out: JsonObject = {};
  if (target.kind === 'page') {
    for (const key of r.profile.pageKeys) {
      if (!Object.hasOwn(value, key)) continue;
      const inScope = key === 'fields';
      setOwn(out, key, serveKey(value[key]!, key, inScope ? depth : NO_EXPANSION, r, media));
    }
    return out;
  }
  for (const key of Object.keys(value)) {
    if (r.profile.itemDrop.includes(key)) continue;
    const inScope = key !== 'meta';
    setOwn(out, key, serveKey(value[key]!, key, inScope ? depth : NO_EXPANSION, r, media));
  }
  return out;
}

/** A requested entity (depth 1) as served: a fresh copy, references expanded to `levels`. */
export function renderEntity(entity: Target, r: Rendering): JsonObject {
  const { value, kind, media } = entity;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const inScope = kind === 'page' ? key === 'fields' : key !== 'meta';
    setOwn(out, key, serveKey(value[key]!, key, inScope ? 1 : NO_EXPANSION, r, media));
  }
  return out;
}

/**
 * `value` as served without `alt_media_text=1` (a fresh copy): media objects replaced by their
 * URL, except at `content` paths (`path` is where `value` sits in its entity).
 */
export function mediaToUrls(
  value: Json,
  content: ContentPaths = NO_CONTENT_PATHS,
  path: ValuePath = [],
): Json {
  return serve(value, NO_EXPANSION, COPY, content, content.size > 0 ? path : undefined);
}

const KEEP_MEDIA: Rendering = { ...COPY, urls: false };

/** A fresh copy of a value of the blog (no content paths there), media as URLs when `urls`. */
export function freshCopy(value: Json, urls: boolean): Json {
  return serve(value, NO_EXPANSION, urls ? COPY : KEEP_MEDIA, NO_CONTENT_PATHS, undefined);
}

/** A fresh copy of `object` with the keys of `order` first (those it has), then its others. */
function orderedCopy(object: JsonObject, order: readonly string[], r: Rendering): Json {
  const keys = Object.keys(object);
  const url = r.urls && keys.length <= 2 ? mediaUrl(object, keys) : undefined;
  if (url !== undefined) return url;
  const out: JsonObject = {};
  const put = (key: string) =>
    setOwn(out, key, serve(object[key]!, NO_EXPANSION, r, NO_CONTENT_PATHS, undefined));
  for (const key of order) if (Object.hasOwn(object, key) && !Object.hasOwn(out, key)) put(key);
  for (const key of keys) if (!Object.hasOwn(out, key)) put(key);
  return out;
}

/**
 * A post in list shape rewritten into a learned shape (detail, recent post), as a fresh copy
 * (media as URLs when `urls`): key order, constants, nested key order.
 */
export function shapedPost(post: JsonObject, shape: PostShape, urls: boolean): Json {
  const r = urls ? COPY : KEEP_MEDIA;
  const copy = (value: Json) => serve(value, NO_EXPANSION, r, NO_CONTENT_PATHS, undefined);
  const shaped = (key: string): Json => {
    const value = post[key]!;
    const order = shape.nested[key];
    if (!order) return copy(value);
    if (Array.isArray(value)) {
      return value.map((v) => (isObject(v) ? orderedCopy(v, order, r) : copy(v)));
    }
    return isObject(value) ? orderedCopy(value, order, r) : value;
  };
  const out: JsonObject = {};
  for (const key of shape.order ?? Object.keys(post)) {
    if (Object.hasOwn(shape.constants, key)) {
      setOwn(out, key, copy(shape.constants[key]!));
    } else if (Object.hasOwn(post, key)) setOwn(out, key, shaped(key));
  }
  for (const key of Object.keys(post)) if (!Object.hasOwn(out, key)) setOwn(out, key, shaped(key));
  const keys = Object.keys(out);
  return (r.urls && keys.length <= 2 ? mediaUrl(out, keys) : undefined) ?? out;
}
