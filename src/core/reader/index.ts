/**
 * `createLocalButter(dir)`: the read methods of the official `buttercms` SDK (v3), answered from
 * a snapshot. Each resolves to what the SDK resolves to — `{ data: <the API's JSON body>,
 * status: 200, statusText, headers, config }` — and rejects where the API answers an error, so a
 * site switches from the API to the snapshot by swapping one import:
 *
 *   const butter = createLocalButter('.buttercms');
 *   const { data } = await butter.page.retrieve('landing-page', 'home', { levels: 2 });
 *
 * Nothing is read on creation; files are read on first use and cached.
 */
import { ButterError } from '../errors.ts';
import { wellFormed } from '../snapshot/names.ts';
import { collectionKeys, retrieveContent } from './collections.ts';
import { createContext, respond } from './context.ts';
import { listPages, retrievePage } from './pages.ts';
import { listPosts, listTaxonomy, retrievePost, retrieveTaxonomy } from './posts.ts';
import type {
  AuthorOf,
  CategoryOf,
  CollectionItem,
  IncludeParams,
  ListMeta,
  ListParams,
  LocalResponse,
  PageOf,
  PageParams,
  PostListParams,
  PostOf,
  TagOf,
  WithRecentPosts,
} from './schema.ts';
import { createSource } from './source.ts';

export interface PostDetailMeta {
  next_post: {
    slug: string;
    title: string;
    featured_image: unknown;
    [key: string]: unknown;
  } | null;
  previous_post: {
    slug: string;
    title: string;
    featured_image: unknown;
    [key: string]: unknown;
  } | null;
}

interface Methods {
  /** The SDK's; nothing to cancel locally. */
  cancelRequest(): void;
}

interface Unavailable {
  /**
   * Full-text search runs on ButterCMS's servers: not available from a snapshot. Rejects with
   * a `SNAPSHOT` error (use the SDK for search, or filter a `list` locally).
   */
  search(query: string, params?: Record<string, unknown>): Promise<never>;
}

export interface LocalPageMethods extends Methods, Unavailable {
  retrieve<PageType extends string, Slug extends string = string>(
    pageType: PageType,
    slug: Slug,
    params?: PageParams,
  ): Promise<LocalResponse<{ data: PageOf<PageType, Slug> }>>;
  list<PageType extends string>(
    pageType: PageType,
    params?: ListParams,
  ): Promise<LocalResponse<{ meta: ListMeta; data: PageOf<PageType>[] }>>;
}

export interface LocalContentMethods extends Methods {
  retrieve<Key extends string>(
    keys: readonly Key[] | Key,
    params?: ListParams,
  ): Promise<LocalResponse<{ meta: ListMeta; data: { [K in Key]: CollectionItem<K>[] } }>>;
}

export interface LocalPostMethods extends Methods, Unavailable {
  list(params?: PostListParams): Promise<LocalResponse<{ meta: ListMeta; data: PostOf[] }>>;
  retrieve(
    slug: string,
    params?: { preview?: 0 | 1; [name: string]: string | number | boolean | undefined },
  ): Promise<LocalResponse<{ meta: PostDetailMeta; data: PostOf }>>;
}

export interface LocalTaxonomyMethods<T> extends Methods {
  list(params?: IncludeParams): Promise<LocalResponse<{ data: WithRecentPosts<T>[] }>>;
  retrieve(
    slug: string,
    params?: IncludeParams,
  ): Promise<LocalResponse<{ data: WithRecentPosts<T> }>>;
}

export interface LocalFeedMethods extends Methods {
  /** Feeds (RSS, Atom, sitemap) are not in the snapshot: rejects with a `SNAPSHOT` error. */
  retrieve(feedType: string, params?: Record<string, unknown>): Promise<never>;
}

export interface LocalButter {
  feed: LocalFeedMethods;
  page: LocalPageMethods;
  content: LocalContentMethods;
  post: LocalPostMethods;
  author: LocalTaxonomyMethods<AuthorOf>;
  category: LocalTaxonomyMethods<CategoryOf>;
  tag: LocalTaxonomyMethods<TagOf>;
}

/** A path segment of the request URL an answer or error shows (a lone surrogate shown as U+FFFD). */
const segment = (value: string) => encodeURIComponent(wellFormed(value)).replace(/%2A/g, '*');
const cancelRequest = () => {};

const unavailable = (what: string) => () =>
  Promise.reject(
    new ButterError(`${what} is not available from the local snapshot`, {
      code: 'SNAPSHOT',
      hint: 'Use the buttercms SDK against the API for it, or build it from list() results.',
    }),
  );

/** A reader over the snapshot in `dir` with the official SDK's read methods. */
export function createLocalButter(dir: string): LocalButter {
  const ctx = createContext(createSource(dir));
  // The generic signatures are the public contract; the bodies are JSON built at run time.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const cast = <T>(promise: Promise<unknown>) => promise as any as T;
  const taxonomy = <T>(
    kind: 'authors' | 'categories' | 'tags',
    type: string,
  ): LocalTaxonomyMethods<T> => ({
    cancelRequest,
    list: (params) =>
      cast(respond(ctx, type, `/${kind}/`, params, (p) => listTaxonomy(ctx, kind, p))),
    retrieve: (slug, params) =>
      cast(
        respond(ctx, type, `/${kind}/${segment(slug)}/`, params, (p) =>
          retrieveTaxonomy(ctx, kind, slug, p),
        ),
      ),
  });
  return {
    feed: { cancelRequest, retrieve: unavailable('feed.retrieve') },
    page: {
      cancelRequest,
      search: unavailable('page.search'),
      retrieve: (pageType, slug, params) =>
        cast(
          respond(ctx, 'page', `/pages/${segment(pageType)}/${segment(slug)}/`, params, (p) =>
            retrievePage(ctx, pageType, slug, p),
          ),
        ),
      list: (pageType, params) =>
        cast(
          respond(ctx, 'page', `/pages/${segment(pageType)}/`, params, (p) =>
            listPages(ctx, pageType, p),
          ),
        ),
    },
    content: {
      cancelRequest,
      retrieve: (keys, params) => {
        const list = collectionKeys(keys as string | readonly string[]);
        return cast(
          respond(ctx, 'content', `/content/${list.map(segment).join(',')}/`, params, (p) =>
            retrieveContent(ctx, list, p),
          ),
        );
      },
    },
    post: {
      cancelRequest,
      search: unavailable('post.search'),
      list: (params) => cast(respond(ctx, 'post', '/posts/', params, (p) => listPosts(ctx, p))),
      retrieve: (slug, params) =>
        cast(
          respond(ctx, 'post', `/posts/${segment(slug)}/`, params, (p) =>
            retrievePost(ctx, slug, p),
          ),
        ),
    },
    author: taxonomy<AuthorOf>('authors', 'author'),
    category: taxonomy<CategoryOf>('categories', 'category'),
    tag: taxonomy<TagOf>('tags', 'tag'),
  };
}

export { ReaderError } from './errors.ts';
export { type ApiProfile, learnApiProfile, type ProfileContent } from './profile.ts';
export type * from './schema.ts';
