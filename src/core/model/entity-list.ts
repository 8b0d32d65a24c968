/**
 * Reading an `EntityList` (an array, or a spooled listing parsed anew at each read) one entity
 * at a time, for what arrays do with their methods.
 */
import type { EntityList, JsonObject, StagedContent } from './content.ts';

/**
 * Whether `value` is a listing held elsewhere than in an array (a spooled one): content holds
 * no other iterable object.
 */
export function isHeldList(value: unknown): value is EntityList {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Symbol.iterator in value
  );
}

/** The entities of `list` that pass `test`, read in order. */
export function filterEntities(
  list: EntityList,
  test: (entity: JsonObject) => boolean,
): JsonObject[] {
  const kept: JsonObject[] = [];
  for (const entity of list) if (test(entity)) kept.push(entity);
  return kept;
}

/** The index of the first entity of `list` that passes `test` (reading stops there), or -1. */
export function findEntityIndex(list: EntityList, test: (entity: JsonObject) => boolean): number {
  let index = 0;
  for (const entity of list) {
    if (test(entity)) return index;
    index++;
  }
  return -1;
}

/**
 * Entity `index` of `list`; none for a negative index (where `at` would count from the end: an
 * index not found, -1, must find nothing).
 */
export function entityAt(list: EntityList, index: number): JsonObject | undefined {
  return index < 0 ? undefined : list.at(index);
}

/** Whether an entity of `list` passes `test` (reading stops at the first). */
export function someEntity(list: EntityList, test: (entity: JsonObject) => boolean): boolean {
  return findEntityIndex(list, test) !== -1;
}

/** The first `count` entities of `list`. */
export function firstEntities(list: EntityList, count: number): JsonObject[] {
  const first: JsonObject[] = [];
  for (const entity of list) {
    if (first.length >= count) break;
    first.push(entity);
  }
  return first;
}

/** Puts each listing of `content` that `replaced` maps in place of the one it replaces. */
export function replaceListings(
  content: StagedContent,
  replaced: ReadonlyMap<EntityList, EntityList>,
): void {
  if (replaced.size === 0) return;
  const swap = <K extends string>(record: Record<K, EntityList>, key: K) => {
    const next = replaced.get(record[key]);
    if (next) record[key] = next;
  };
  for (const locale of content.locales) {
    swap(locale, 'singlePages');
    for (const name of Object.keys(locale.pageTypes)) swap(locale.pageTypes, name);
    for (const key of Object.keys(locale.collections)) swap(locale.collections, key);
  }
  for (const kind of ['posts', 'authors', 'categories', 'tags'] as const) swap(content.blog, kind);
}
