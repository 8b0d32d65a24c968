/**
 * Types of the local reader. The four `Butter*` interfaces are empty on purpose: the generated
 * declarations (`buttercms.d.ts`) augment them,
 *
 *   declare module 'unplugin-buttercms' {
 *     interface ButterPageTypes { 'landing-page': LandingPageFields }
 *   }
 *
 * and every reader method narrows to the augmented type; keys not in a map stay loose JSON.
 */

/** Page type slug → the `fields` of its pages. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by the generated declarations
export interface ButterPageTypes {}
/** Single page slug → its `fields`. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by the generated declarations
export interface ButterSinglePages {}
/** Collection key → one item (including `meta: { id: number }`). */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by the generated declarations
export interface ButterCollections {}
/** `post`, `author`, `category`, `tag` → their types. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by the generated declarations
export interface ButterBlogTypes {}

/** Any JSON object: what an entity is when its type is not generated. */
export type LooseObject = { [key: string]: unknown };

type Lookup<Map, Key, Fallback> = Key extends keyof Map ? Map[Key] : Fallback;

export interface Page<Fields = LooseObject, PageType extends string | null = string | null> {
  slug: string;
  name: string;
  published: string | null;
  updated: string | null;
  page_type: PageType;
  fields: Fields;
  [key: string]: unknown;
}

/** Fields of pages of `PageType` (`'*'`: single page `Slug`). */
export type PageFieldsOf<
  PageType extends string,
  Slug extends string = string,
> = PageType extends '*'
  ? Lookup<ButterSinglePages, Slug, LooseObject>
  : Lookup<ButterPageTypes, PageType, LooseObject>;

export type PageOf<PageType extends string, Slug extends string = string> = Page<
  PageFieldsOf<PageType, Slug>,
  PageType extends '*' ? string | null : PageType
>;

export type CollectionItem<Key extends string> = Lookup<
  ButterCollections,
  Key,
  LooseObject & { meta: { id: number } }
>;

export interface LoosePost extends LooseObject {
  slug: string;
  title: string;
  author: LooseObject;
  categories: LooseObject[];
  tags: LooseObject[];
}
export interface LooseAuthor extends LooseObject {
  slug: string;
}
export interface LooseTerm extends LooseObject {
  slug: string;
  name: string;
}

export type PostOf = Lookup<ButterBlogTypes, 'post', LoosePost>;
export type AuthorOf = Lookup<ButterBlogTypes, 'author', LooseAuthor>;
export type CategoryOf = Lookup<ButterBlogTypes, 'category', LooseTerm>;
export type TagOf = Lookup<ButterBlogTypes, 'tag', LooseTerm>;

/** Pagination meta: `page`/`page_size` style or `limit`/`offset` style. */
export interface ListMeta {
  count: number;
  next_page?: number | null;
  previous_page?: number | null;
  next_offset?: number | null;
  previous_offset?: number | null;
}

/** What every method resolves to, as the official SDK's does (`data` is the API's body). */
export interface LocalResponse<Body> {
  data: Body;
  status: 200;
  statusText: 'OK';
  headers: Record<string, string>;
  config: {
    url: string;
    method: 'get';
    headers: Record<string, string>;
    transformRequest: unknown[];
    transformResponse: unknown[];
    timeout: number;
  };
}

/** Query parameters, as the SDK takes them (numbers and booleans are sent as text). */
export type Params = { [name: string]: string | number | boolean | undefined };

export interface PageParams extends Params {
  locale?: string;
  levels?: number;
  alt_media_text?: 0 | 1;
  preview?: 0 | 1;
}
export interface ListParams extends PageParams {
  page?: number;
  page_size?: number;
  limit?: number;
  offset?: number;
  order?: string;
}
export interface PostListParams extends Params {
  page?: number;
  page_size?: number;
  limit?: number;
  offset?: number;
  exclude_body?: boolean;
  author_slug?: string;
  category_slug?: string;
  tag_slug?: string;
  preview?: 0 | 1;
}
export interface IncludeParams extends Params {
  include?: 'recent_posts';
}

export type WithRecentPosts<T> = T & { recent_posts?: PostOf[] };
