/**
 * Discovery, pure: the page types and collection keys that content points to. The Read API
 * cannot list them, so references are the only other source besides the configuration.
 */

import type { EntityList, Json, JsonObject } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { forEachRefUri, parseRef } from '../model/refs.ts';

export interface Referenced {
  pageTypes: Set<string>;
  collections: Set<string>;
  /** URIs already read: each distinct URI is parsed once however often content repeats it. */
  seen?: Set<string>;
}

export function emptyReferenced(seen?: Set<string>): Referenced {
  return { pageTypes: new Set(), collections: new Set(), ...(seen ? { seen } : {}) };
}

function addUri(into: Referenced, uri: string) {
  if (into.seen) {
    if (into.seen.has(uri)) return;
    into.seen.add(uri);
  }
  const ref = parseRef(uri);
  if (!ref) return;
  if (ref.kind === 'page') {
    if (ref.pageType !== '*') into.pageTypes.add(ref.pageType);
  } else {
    into.collections.add(ref.key);
  }
}

/** What a page's `fields`, or an item's values (without its `meta`), reference. */
export function referencedBy(
  kind: 'page' | 'item',
  entities: EntityList,
  into = emptyReferenced(),
): Referenced {
  for (const entity of entities) {
    const scope: Json = kind === 'page' ? (entity.fields ?? null) : withoutMeta(entity);
    forEachRefUri(scope, (uri) => addUri(into, uri));
  }
  return into;
}

function withoutMeta(item: JsonObject): JsonObject {
  const { meta: _meta, ...rest } = item;
  return rest;
}

/**
 * Page types named by expanded pages inside a `levels ≥ 2` answer (embedded pages may carry
 * `page_type`), plus whatever URIs remain in it past the cutoff.
 */
export function referencedByExpanded(body: Json, into = emptyReferenced()): Referenced {
  walk(body, 0, into);
  forEachRefUri(body, (uri) => addUri(into, uri));
  return into;
}

function walk(value: Json, depth: number, into: Referenced) {
  if (depth > 64) return;
  if (Array.isArray(value)) {
    for (const entry of value) walk(entry, depth + 1, into);
    return;
  }
  if (!isObject(value)) return;
  const type = value.page_type;
  if (typeof type === 'string' && type !== '' && type !== '*' && isObject(value.fields ?? null)) {
    into.pageTypes.add(type);
  }
  for (const key of Object.keys(value)) walk(value[key]!, depth + 1, into);
}
