/**
 * The local reader over any `SnapshotFiles` (no Node built-ins: the runtime of
 * `virtual:buttercms` runs it in browsers): the read methods of the official `buttercms` SDK
 * (v3), answered from a snapshot. Each resolves to what the SDK resolves to — `{ data: <the
 * API's JSON body>, status: 200, statusText, headers, config }` — and rejects where the API
 * answers an error. `createLocalButter` (`./index.ts`) opens a folder with it.
 *
 * Nothing is read on creation; files are read on first use, indexes kept, entities cached
 * within the `cache` budget.
 */
import { ButterError, OptionsError } from '../errors.ts';
import { apiPath, type TaxonomyKind } from '../model/api-paths.ts';
import { DEFAULT_READER_CACHE } from '../snapshot/cache.ts';
import type { SnapshotFiles } from '../snapshot/chunked.ts';
import { openStore } from '../snapshot/store.ts';
import { collectionKeys, retrieveContent } from './collections.ts';
import { createContext, respond } from './context.ts';
import { listPages, retrievePage } from './pages.ts';
import { listPosts, listTaxonomy, retrievePost, retrieveTaxonomy } from './posts.ts';
import type {
  AuthorOf,
  CategoryOf,
  CollectionItem,
  CollectionKey,
  IncludeParams,
  KnownKey,
  ListMeta,
  ListParams,
  LocalResponse,
  PageOf,
  PageParams,
  PageTypeName,
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

/**
 * Page types (and `'*'`) once declarations are generated. A slug is never checked: `'*'` finds
 * a page of any page type by its slug, and those slugs are not in the declarations.
 */
export type PageTypeArg<PageType extends string> = KnownKey<PageType, PageTypeName | '*'>;
export type CollectionKeyArg<Key extends string> = KnownKey<Key, CollectionKey>;

export interface LocalPageMethods extends Methods, Unavailable {
  retrieve<PageType extends string, Slug extends string = string>(
    pageType: PageTypeArg<PageType>,
    slug: Slug,
    params?: PageParams,
  ): Promise<LocalResponse<{ data: PageOf<PageType, Slug> }>>;
  list<PageType extends string>(
    pageType: PageTypeArg<PageType>,
    params?: ListParams,
  ): Promise<LocalResponse<{ meta: ListMeta; data: PageOf<PageType>[] }>>;
}

export interface LocalContentMethods extends Methods {
  retrieve<Key extends string>(
    keys: readonly CollectionKeyArg<Key>[] | CollectionKeyArg<Key>,
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

const cancelRequest = () => {};

const unavailable = (what: string) => () =>
  Promise.reject(
    new ButterError(`${what} is not available from the local snapshot`, {
      code: 'SNAPSHOT',
      hint: 'Use the buttercms SDK against the API for it, or build it from list() results.',
    }),
  );

export interface ReaderOptions {
  /**
   * Memory the reader may keep snapshot content in between calls, in megabytes: parsed entities
   * and where each is in its chunk file (a quarter of the budget). Never more than the parsed
   * snapshot (about 1.5× its size on disk); past the budget, what is asked for again is kept
   * and the rest read again. `0` keeps nothing (each call reads its files again), `Infinity`
   * everything.
   * @default 1024
   */
  cache?: number;
}

/** The budget in bytes; throws when `cache` is not a size. */
export function cacheBytes(options: ReaderOptions = {}): number {
  const cache = options.cache ?? DEFAULT_READER_CACHE;
  if (typeof cache !== 'number' || Number.isNaN(cache) || cache < 0) {
    throw new OptionsError(
      'cache',
      `expected megabytes (a number of at least 0), got ${String(cache)}`,
    );
  }
  return cache * 1024 * 1024;
}

/**
 * A reader with the official SDK's read methods over `files`, or over the files `open`
 * resolves to on first use.
 */
export function createReader(
  files: SnapshotFiles | (() => Promise<SnapshotFiles>),
  options: ReaderOptions = {},
): LocalButter {
  const budget = cacheBytes(options);
  const open = typeof files === 'function' ? files : () => Promise.resolve(files);
  const ctx = createContext(createSource(async () => openStore(await open(), budget)));

  // The generic signatures are the public contract; the bodies are JSON built at run time.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const cast = <T>(promise: Promise<unknown>) => promise as any as T;
  const taxonomy = <T>(kind: TaxonomyKind, type: string): LocalTaxonomyMethods<T> => ({
    cancelRequest,
    list: (params) =>
      cast(respond(ctx, type, apiPath.taxonomy(kind), params, (p) => listTaxonomy(ctx, kind, p))),
    retrieve: (slug, params) =>
      cast(
        respond(ctx, type, apiPath.taxonomyEntry(kind, slug), params, (p) =>
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
          respond(ctx, 'page', apiPath.page(pageType, slug), params, (p) =>
            retrievePage(ctx, pageType, slug, p),
          ),
        ),
      list: (pageType, params) =>
        cast(
          respond(ctx, 'page', apiPath.pages(pageType), params, (p) => listPages(ctx, pageType, p)),
        ),
    },
    content: {
      cancelRequest,
      retrieve: (keys, params) => {
        const list = collectionKeys(keys as string | readonly string[]);
        return cast(
          respond(ctx, 'content', apiPath.content(list), params, (p) =>
            retrieveContent(ctx, list, p),
          ),
        );
      },
    },
    post: {
      cancelRequest,
      search: unavailable('post.search'),
      list: (params) =>
        cast(respond(ctx, 'post', apiPath.posts(), params, (p) => listPosts(ctx, p))),
      retrieve: (slug, params) =>
        cast(respond(ctx, 'post', apiPath.post(slug), params, (p) => retrievePost(ctx, slug, p))),
    },
    author: taxonomy<AuthorOf>('authors', 'author'),
    category: taxonomy<CategoryOf>('categories', 'category'),
    tag: taxonomy<TagOf>('tags', 'tag'),
  };
}
