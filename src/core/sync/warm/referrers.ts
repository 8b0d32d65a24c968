/**
 * References that appear or vanish without their referrer changing. The API leaves out a
 * reference whose target is not visible (deleted, unpublished, not yet live) — `{}` for a
 * one-to-one field, nothing in a list — and puts it back once the target is visible, while the
 * referrer's `updated` stays. So after entities come or go, the page types whose pages may show
 * such a reference are fetched again: those referring to an entity that went, and, when an
 * entity came (or came back), every one (a hidden reference leaves no trace in the snapshot).
 */
import type {
  EntityRef,
  JsonObject,
  ListingRef,
  LocaleContent,
  SnapshotContent,
} from '../../model/content.ts';
import { listedRef } from '../../model/listing.ts';
import { collectRefs, refKey } from '../../model/refs.ts';

/** Page types (of those not `fetched` again already) to fetch again after the change. */
export function referrersToRefetch(
  before: SnapshotContent,
  after: SnapshotContent,
  fetched: ReadonlySet<string>,
): string[] {
  const gone = new Set<string>();
  const grown = new Set<string>();
  before.locales.forEach((old, i) => {
    const now = after.locales[i];
    if (now) compareLocale(old, now, gone, grown);
  });
  if (gone.size === 0 && grown.size === 0) return [];
  const affected = new Set<string>();
  for (const locale of after.locales) {
    for (const [pageType, pages] of Object.entries(locale.pageTypes)) {
      if (fetched.has(pageType) || affected.has(pageType)) continue;
      const refers =
        grown.size > 0 ||
        pages.some((page) =>
          collectRefs(page.fields ?? null).some(({ ref }) => gone.has(refKey(ref))),
        );
      if (refers) affected.add(pageType);
    }
  }
  return [...affected];
}

function compareLocale(
  old: LocaleContent,
  now: LocaleContent,
  gone: Set<string>,
  grown: Set<string>,
) {
  const compare = (listing: string, before: EntityRef[], after: EntityRef[]) => {
    const was = new Set(before.map(refKey));
    const is = new Set(after.map(refKey));
    for (const key of was) if (!is.has(key)) gone.add(key);
    if ([...is].some((key) => !was.has(key))) grown.add(listing);
  };
  const refs = (listing: ListingRef, list: JsonObject[] = []) =>
    list.flatMap((entity) => listedRef(listing, entity) ?? []);
  const pages = (pageType: string, list?: JsonObject[]) => refs({ kind: 'page', pageType }, list);
  const items = (key: string, list?: JsonObject[]) => refs({ kind: 'item', key }, list);
  compare('page:*', pages('*', old.singlePages), pages('*', now.singlePages));
  for (const name of new Set([...Object.keys(old.pageTypes), ...Object.keys(now.pageTypes)])) {
    compare(`page:${name}`, pages(name, old.pageTypes[name]), pages(name, now.pageTypes[name]));
  }
  for (const key of new Set([...Object.keys(old.collections), ...Object.keys(now.collections)])) {
    compare(`item:${key}`, items(key, old.collections[key]), items(key, now.collections[key]));
  }
}
