/**
 * Rebuilding `levels=k` from the normalized (levels=1) entities, pure. A reference inside an
 * entity at depth d (the requested entity is depth 1) is replaced by the referenced entity when
 * d < k, in the shape the server embeds it (`EmbeddedProfile`), and kept as the stored URI string
 * verbatim otherwise — exactly where the API cuts. Media objects become URL strings unless
 * `alt_media_text=1`.
 */

import { isObject, setOwn } from '../json.ts';
import type { EntityRef, Json, JsonObject } from '../snapshot/model.ts';
import { collectRefs, parseRef } from '../sync/refs.ts';
import type { EmbeddedProfile } from './profile.ts';

/** The stored entity a reference URI names, if the snapshot holds it. */
export type Resolve = (uri: string) => { ref: EntityRef; entity: JsonObject } | undefined;

/** The part of an entity that can hold references: a page's `fields`, an item without `meta`. */
export function referenceScope(entity: JsonObject, kind: EntityRef['kind']): Json {
  if (kind === 'page') return entity.fields ?? null;
  const scope: JsonObject = {};
  for (const key of Object.keys(entity)) if (key !== 'meta') scope[key] = entity[key]!;
  return scope;
}

/** Reference URIs directly inside an entity (not inside the entities they name). */
export function refsOf(entity: JsonObject, kind: EntityRef['kind']): string[] {
  return collectRefs(referenceScope(entity, kind)).map((r) => r.uri);
}

export { parseRef };

function expandValue(value: Json, depth: number, ctx: Context): Json {
  if (typeof value === 'string') {
    if (depth >= ctx.levels || !value.includes('/v2/')) return value;
    const target = ctx.resolve(value);
    return target ? embed(target.entity, target.ref.kind, depth + 1, ctx) : value;
  }
  if (Array.isArray(value)) return value.map((v) => expandValue(v, depth, ctx));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, expandValue(value[key]!, depth, ctx));
    }
    return out;
  }
  return value;
}

interface Context {
  levels: number;
  resolve: Resolve;
  profile: EmbeddedProfile;
}

function embed(
  entity: JsonObject,
  kind: EntityRef['kind'],
  depth: number,
  ctx: Context,
): JsonObject {
  const out: JsonObject = {};
  if (kind === 'page') {
    for (const key of ctx.profile.pageKeys) {
      if (!Object.hasOwn(entity, key)) continue;
      const value = entity[key]!;
      setOwn(out, key, key === 'fields' ? expandValue(value, depth, ctx) : value);
    }
    return out;
  }
  for (const key of Object.keys(entity)) {
    if (ctx.profile.itemDrop.includes(key)) continue;
    const value = entity[key]!;
    setOwn(out, key, key === 'meta' ? value : expandValue(value, depth, ctx));
  }
  return out;
}

/** `entity` (depth 1) with references expanded to `levels`. */
export function expandEntity(
  entity: JsonObject,
  kind: EntityRef['kind'],
  levels: number,
  resolve: Resolve,
  profile: EmbeddedProfile,
): JsonObject {
  const ctx: Context = { levels, resolve, profile };
  const out: JsonObject = {};
  for (const key of Object.keys(entity)) {
    const value = entity[key]!;
    const inScope = kind === 'page' ? key === 'fields' : key !== 'meta';
    setOwn(out, key, inScope ? expandValue(value, 1, ctx) : value);
  }
  return out;
}
