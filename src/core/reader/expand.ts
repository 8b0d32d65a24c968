/**
 * Where references sit in a stored (levels=1) entity, pure: `render.ts` replaces them by the
 * entities they name to rebuild deeper levels.
 */

import type { EntityRef, Json, JsonObject } from '../model/content.ts';
import { collectRefs } from '../model/refs.ts';

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
