/**
 * Types of `virtual:buttercms`, the module the unplugin-buttercms build plugins serve. Add
 * `"types": ["unplugin-buttercms/client"]` to tsconfig.json (or `/// <reference
 * types="unplugin-buttercms/client" />`). The content types come from the generated
 * `buttercms.d.ts`, which augments the reader's interfaces; once it does, a page type or
 * collection key written as a literal must be a synced one (see `KnownKey`).
 */
declare module 'virtual:buttercms' {
  import type {
    CollectionItem,
    CollectionKeyArg,
    LocalButter,
    Manifest,
    PageOf,
    PageTypeArg,
  } from 'unplugin-buttercms';

  type Body<T extends (...args: never[]) => Promise<{ data: unknown }>> = Awaited<ReturnType<T>>['data'];
  type ListParams = Parameters<LocalButter['page']['list']>[1];
  type ContentParams = Parameters<LocalButter['content']['retrieve']>[1];
  type PostParams = Parameters<LocalButter['post']['list']>[0];

  /** The local reader over the snapshot: the official SDK's read methods, answered locally. */
  export const butter: LocalButter;
  export default butter;

  /** Facts about the snapshot (never content). */
  export const snapshot: {
    syncedAt: string;
    levels: number;
    locales: (string | null)[];
    preview: boolean;
    counts: Manifest['counts'];
  };

  /** `butter.page.list(pageType, params)`'s `data`. */
  export function getPages<PageType extends string>(
    pageType: PageTypeArg<PageType>,
    params?: ListParams,
  ): Promise<PageOf<PageType>[]>;
  /** The items of one collection. */
  export function getCollection<Key extends string>(
    key: CollectionKeyArg<Key>,
    params?: ContentParams,
  ): Promise<CollectionItem<Key>[]>;
  export function getPosts(params?: PostParams): Promise<Body<LocalButter['post']['list']>['data']>;
  export function getAuthors(): Promise<Body<LocalButter['author']['list']>['data']>;
  export function getCategories(): Promise<Body<LocalButter['category']['list']>['data']>;
  export function getTags(): Promise<Body<LocalButter['tag']['list']>['data']>;
}
