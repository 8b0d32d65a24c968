/**
 * References that appear or vanish without their referrer changing. The API leaves out a
 * reference whose target is not visible (deleted, unpublished, not yet live) — `{}` for a
 * one-to-one field, nothing in a list — and puts it back once the target is visible, while the
 * referrer's `updated` stays. So after entities come or go, the page types whose pages may show
 * such a reference are fetched again: those referring to an entity that went, and, when an
 * entity came (or came back), every one (a hidden reference leaves no trace in the snapshot).
 */
import type { EntityList, ListingRef, LocaleContent, StagedContent } from '../../model/content.ts';
import { someEntity } from '../../model/entity-list.ts';
import { listedRef } from '../../model/listing.ts';
import { listingKey } from '../../model/media-paths.ts';
import { collectRefs, refKey } from '../../model/refs.ts';

/** Page types (of those not `fetched` again already) to fetch again after the change. */
export function referrersToRefetch(
  before: StagedContent,
  after: StagedContent,
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
        someEntity(pages, (page) =>
          collectRefs(page.fields ?? null).some(({ ref }) => gone.has(refKey(ref))),
        );
      if (refers) affected.add(pageType);
    }
  }
  return [...affected];
}

function compareLocale(
  old: LocaleContent<EntityList>,
  now: LocaleContent<EntityList>,
  gone: Set<string>,
  grown: Set<string>,
) {
  const refs = (listing: ListingRef, list: EntityList = []) => {
    const listed: string[] = [];
    for (const entity of list) {
      const ref = listedRef(listing, entity);
      if (ref) listed.push(refKey(ref));
    }
    return listed;
  };
  const compare = (listing: ListingRef, before?: EntityList, after?: EntityList) => {
    // The snapshot's own listing, kept: nothing in it came or went.
    if (before === after) return;
    const was = new Set(refs(listing, before));
    const is = new Set(refs(listing, after));
    for (const key of was) if (!is.has(key)) gone.add(key);
    if ([...is].some((key) => !was.has(key))) grown.add(listingKey(listing));
  };
  const page = (pageType: string): ListingRef => ({ kind: 'page', pageType });
  compare(page('*'), old.singlePages, now.singlePages);
  for (const name of new Set([...Object.keys(old.pageTypes), ...Object.keys(now.pageTypes)])) {
    compare(page(name), old.pageTypes[name], now.pageTypes[name]);
  }
  for (const key of new Set([...Object.keys(old.collections), ...Object.keys(now.collections)])) {
    compare({ kind: 'item', key }, old.collections[key], now.collections[key]);
  }
}
