/** Looking up an entity in the in-memory content by its reference (pure). */
import type { EntityRef, JsonObject, SnapshotContent } from '../model/content.ts';

const own = <T>(record: { [key: string]: T }, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** The stored entity `ref` names in `locale` (a page of type `'*'` is a single page). */
export function findEntity(
  content: SnapshotContent,
  ref: EntityRef,
  locale: string | null,
): JsonObject | undefined {
  const l = content.locales.find((x) => x.locale === locale);
  if (!l) return undefined;
  if (ref.kind === 'item') {
    return own(l.collections, ref.key)?.find(
      (i) => (i.meta as { id?: unknown } | undefined)?.id === ref.id,
    );
  }
  const pages = ref.pageType === '*' ? l.singlePages : own(l.pageTypes, ref.pageType);
  return pages?.find((p) => p.slug === ref.slug);
}
