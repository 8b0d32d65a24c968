/**
 * Types of the local reader. The `Butter*` interfaces are empty on purpose: the generated
 * declarations (`buttercms.d.ts`) augment them,
 *
 *   declare module 'unplugin-buttercms' {
 *     interface ButterPageTypes { 'landing-page': LandingPageFields }
 *   }
 *
 * and every reader method narrows to the augmented type. They also mark themselves as present
 * (`ButterDeclarations`): from then on a page type or collection key (or the Astro loader's
 * single page) given as a literal must be a synced one, so a misspelling is a type error rather
 * than `unknown` fields. Before (no declarations: first run, `types: false`) any string is
 * taken and entities are loose JSON.
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
/** `{ generated: true }` once the generated declarations are part of the program. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by the generated declarations
export interface ButterDeclarations {}

type Generated = ButterDeclarations extends { generated: true } ? true : false;
type KeysOf<Map> = Generated extends true ? Extract<keyof Map, string> : string;

/** The page types the reader knows: those synced, once declarations are generated. */
export type PageTypeName = KeysOf<ButterPageTypes>;
/** The collection keys the reader knows: those synced, once declarations are generated. */
export type CollectionKey = KeysOf<ButterCollections>;
/** The single pages the reader knows: those synced, once declarations are generated. */
export type SinglePageSlug = KeysOf<ButterSinglePages>;

/**
 * What a method takes for a key of type `Key`: a literal (or a union of literals) must be one of
 * `Known`, else the parameter's type is `Known` and the call a type error listing the valid
 * keys; a `string` known only at run time (a route parameter) is taken as it is.
 */
export type KnownKey<Key extends string, Known extends string> = string extends Key
  ? Key
  : Key extends Known
    ? Key
    : // Spelled out so that the error lists the keys, not the name of their type.
      { [K in Known]: K }[Known];

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
