/** Looking up an entity in the in-memory content by its reference (pure). */
import type { EntityList, EntityRef, JsonObject, StagedContent } from '../model/content.ts';
import { entityAt, findEntityIndex } from '../model/entity-list.ts';

const own = <T>(record: { [key: string]: T }, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** The stored entity `ref` names in `locale` (a page of type `'*'` is a single page). */
export function findEntity(
  content: StagedContent,
  ref: EntityRef,
  locale: string | null,
): JsonObject | undefined {
  const l = content.locales.find((x) => x.locale === locale);
  if (!l) return undefined;
  if (ref.kind === 'item') {
    const items = own(l.collections, ref.key);
    return items && find(items, (i) => (i.meta as { id?: unknown } | undefined)?.id === ref.id);
  }
  const pages = ref.pageType === '*' ? l.singlePages : own(l.pageTypes, ref.pageType);
  return pages && find(pages, (p) => p.slug === ref.slug);
}

function find(list: EntityList, test: (entity: JsonObject) => boolean): JsonObject | undefined {
  return entityAt(list, findEntityIndex(list, test));
}
