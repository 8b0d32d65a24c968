/**
 * Rewriting media URLs, pure: returns a new snapshot in which every string equal to a mapped
 * URL is replaced by its local path, and in HTML only the URL spans of attributes are replaced
 * (the rest of the markup stays byte-identical). URLs not in the map are left as they are.
 */

import type { EntityList, JsonObject, SnapshotContent } from '../model/content.ts';
import { isHeldList } from '../model/entity-list.ts';
import { setOwn } from '../model/json.ts';
import { looksLikeUrl } from './collect.ts';
import { escapeAttribute, findHtmlUrls } from './html.ts';

type Value = unknown;

/**
 * A copy of `content` with media URLs replaced through `map` (URL → local public path). Never
 * mutates `content`; the result shares nothing mutable with it.
 */
export function rewriteMediaUrls<L extends EntityList>(
  content: SnapshotContent<L>,
  map: ReadonlyMap<string, string>,
): SnapshotContent<L> {
  return rewriteValue(content, map) as SnapshotContent<L>;
}

/** A copy of `entities` with media URLs replaced through `map`, as `rewriteMediaUrls` does. */
export function rewriteEntities(
  entities: readonly JsonObject[],
  map: ReadonlyMap<string, string>,
): JsonObject[] {
  return rewriteValue(entities, map) as JsonObject[];
}

/** Rewrites one string: a whole-URL value, or the URL attributes of HTML. */
export function rewriteString(text: string, map: ReadonlyMap<string, string>): string {
  if (looksLikeUrl(text)) return map.get(text) ?? text;
  if (!text.includes('<') || map.size === 0) return text;
  let out = '';
  let last = 0;
  let changed = false;
  for (const found of findHtmlUrls(text)) {
    const local = map.get(found.url);
    if (local === undefined) continue;
    out += text.slice(last, found.start) + escapeAttribute(local);
    last = found.end;
    changed = true;
  }
  return changed ? out + text.slice(last) : text;
}

/**
 * Replaces media URLs through `map` in `value` itself (content, an entity), for a caller that
 * owns it (the sync): a copy of a whole account's content would double the memory the stage
 * needs. Returns whether anything changed.
 */
export function rewriteMediaUrlsInPlace(value: object, map: ReadonlyMap<string, string>): boolean {
  const record = value as Record<string, Value>;
  let changed = false;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    const inner = record[key];
    if (typeof inner === 'string') {
      const rewritten = rewriteString(inner, map);
      if (rewritten !== inner) {
        record[key] = rewritten;
        changed = true;
      }
    } else if (inner !== null && typeof inner === 'object') {
      changed = rewriteMediaUrlsInPlace(inner, map) || changed;
    }
  }
  return changed;
}

function rewriteValue(value: Value, map: ReadonlyMap<string, string>): Value {
  if (typeof value === 'string') return rewriteString(value, map);
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, map));
  // A spooled listing: copied into a new one.
  if (isHeldList(value)) return value.map((v) => rewriteValue(v, map) as JsonObject);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, Value>;
    const out: Record<string, Value> = {};
    for (const key of Object.keys(source)) setOwn(out, key, rewriteValue(source[key], map));
    return out;
  }
  return value;
}
