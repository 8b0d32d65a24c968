/**
 * Reference URIs, pure. At `levels=1` (and past the `levels` cutoff) the Read API writes a
 * reference as a URI naming the referenced entity:
 *
 *   /v2/pages/<page_type>/<slug>/        (also without the trailing slash)
 *   /v2/content/?keys=<key>[_id=<id>]    (also percent-encoded: keys=<key>%5B_id%3D<id>%5D)
 *
 * Relative or absolute (`https://api.buttercms.com/v2/...`). This module is the one place that
 * reads them; the crawler uses it for discovery and probes, the reader to rebuild deeper levels.
 */

import { apiPath } from './api-paths.ts';
import type { EntityRef, Json } from './content.ts';

const PAGE_PATH = /^\/v2\/pages\/([^/?#]+)\/([^/?#]+)\/?$/;
const CONTENT_PATH = /^\/v2\/content\/?$/;
const ITEM_KEY = /^([^[\]]+)\[_id=(\d+)\]$/;

/**
 * The entity a reference URI names, or `undefined` when `uri` is not a reference URI. A page
 * reference to a single page has `pageType: '*'`.
 */
export function parseRef(uri: string): EntityRef | undefined {
  if (typeof uri !== 'string' || uri.length > 2048) return undefined;
  const text = uri.trim();
  let path: string;
  let query: string;
  if (text.startsWith('/v2/')) {
    const q = text.indexOf('?');
    path = q === -1 ? text : text.slice(0, q);
    query = q === -1 ? '' : text.slice(q + 1);
  } else if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const at = url.pathname.indexOf('/v2/');
    if (at === -1) return undefined;
    path = url.pathname.slice(at);
    query = url.search.replace(/^\?/, '');
  } else {
    return undefined;
  }
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);

  const page = PAGE_PATH.exec(path);
  if (page) {
    const pageType = decode(page[1]!);
    const slug = decode(page[2]!);
    if (pageType === undefined || slug === undefined || pageType === '' || slug === '') {
      return undefined;
    }
    return { kind: 'page', pageType, slug };
  }
  if (CONTENT_PATH.test(path)) return parseItemQuery(query);
  return undefined;
}

function parseItemQuery(query: string): EntityRef | undefined {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (decode(part.slice(0, eq)) !== 'keys') continue;
    const value = decode(part.slice(eq + 1).replace(/\+/g, ' '));
    if (value === undefined) return undefined;
    const match = ITEM_KEY.exec(value.trim());
    if (!match) return undefined;
    const id = Number(match[2]);
    if (!Number.isSafeInteger(id)) return undefined;
    return { kind: 'item', key: match[1]!.trim(), id };
  }
  return undefined;
}

function decode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The canonical relative URI of an entity (with the trailing slash for pages). */
export function formatRef(ref: EntityRef): string {
  return ref.kind === 'page'
    ? `/v2${apiPath.page(ref.pageType, ref.slug)}`
    : `/v2/content/?keys=${ref.key}[_id=${ref.id}]`;
}

/** A stable string key for an entity, e.g. for sets and maps. */
export function refKey(ref: EntityRef): string {
  return ref.kind === 'page' ? `page:${ref.pageType}/${ref.slug}` : `item:${ref.key}#${ref.id}`;
}

/**
 * Every reference URI inside `value` (strings in nested arrays and objects), in document order,
 * with the entity each names. Strings that are not reference URIs are skipped.
 */
export function collectRefs(value: Json, out: { uri: string; ref: EntityRef }[] = []) {
  forEachRefUri(value, (uri) => {
    const ref = parseRef(uri);
    if (ref) out.push({ uri, ref });
  });
  return out;
}

/**
 * Calls `visit` with every string inside `value` that may be a reference URI (it contains
 * `/v2/`), in document order, without parsing it: for callers that see the same URIs often.
 */
export function forEachRefUri(value: Json, visit: (uri: string) => void): void {
  if (typeof value === 'string') {
    if (value.includes('/v2/')) visit(value);
  } else if (Array.isArray(value)) {
    for (const entry of value) forEachRefUri(entry, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) forEachRefUri(value[key]!, visit);
  }
}

/** Whether `value` holds at least one reference URI (stops at the first). */
export function hasRefs(value: Json): boolean {
  if (typeof value === 'string') return value.includes('/v2/') && parseRef(value) !== undefined;
  if (Array.isArray(value)) return value.some(hasRefs);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasRefs);
  return false;
}
