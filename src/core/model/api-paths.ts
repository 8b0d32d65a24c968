/**
 * The Read API's paths (after `/v2`), the one place they are spelled: the crawl, its probes,
 * the warm sync and the reader (which names the endpoint it answers for) build them here.
 */
import type { EntityRef, ListingRef } from './content.ts';
import { wellFormed } from './unicode.ts';

/** A kind of blog taxonomy, as its endpoint is named. */
export type TaxonomyKind = 'authors' | 'categories' | 'tags';

/**
 * `value` percent-encoded as one path segment of an API URL (`*`, the page type of every page,
 * stays as it is). A lone surrogate cannot be (URLs are UTF-8): it goes as U+FFFD.
 */
export function urlSegment(value: string): string {
  return encodeURIComponent(wellFormed(value));
}

export const apiPath = {
  /** The pages of a page type (`*`: the single pages). */
  pages: (pageType: string) => `/pages/${urlSegment(pageType)}/`,
  page: (pageType: string, slug: string) => `/pages/${urlSegment(pageType)}/${urlSegment(slug)}/`,
  /** Collections by key (the path form, which carries `meta`). */
  content: (keys: readonly string[]) => `/content/${keys.map(urlSegment).join(',')}/`,
  /** One collection item, by the query form its reference URI uses. */
  item: (key: string, id: number) => `/content/?keys=${encodeURIComponent(`${key}[_id=${id}]`)}`,
  posts: () => '/posts/',
  post: (slug: string) => `/posts/${urlSegment(slug)}/`,
  taxonomy: (kind: TaxonomyKind) => `/${kind}/`,
  taxonomyEntry: (kind: TaxonomyKind, slug: string) => `/${kind}/${urlSegment(slug)}/`,
  /** The blog's sitemap (`{data: "<urlset…>"}`). */
  sitemap: () => '/feeds/sitemap/',
  /** The listing `listing` names: a page type's pages or a collection's items. */
  listing: (listing: ListingRef) =>
    listing.kind === 'page' ? apiPath.pages(listing.pageType) : apiPath.content([listing.key]),
  /** The detail endpoint of a stored entity. */
  entity: (ref: EntityRef) =>
    ref.kind === 'page' ? apiPath.page(ref.pageType, ref.slug) : apiPath.item(ref.key, ref.id),
};
