/**
 * `unplugin-buttercms/reader`: the local reader alone, for site code (server components, SSR,
 * loaders). It imports no part of the sync, the codegen or the watcher, so a bundler that
 * packs it into a page brings only the reader.
 */
export {
  type ButterBlogTypes,
  type ButterCollections,
  type ButterDeclarations,
  type ButterPageTypes,
  type ButterSinglePages,
  type CollectionItem,
  type CollectionKey,
  type CollectionKeyArg,
  createLocalButter,
  type KnownKey,
  type LocalButter,
  type LocalResponse,
  type Page,
  type PageOf,
  type PageTypeArg,
  type PageTypeName,
  type PostOf,
  ReaderError,
  type ReaderOptions,
  type SinglePageSlug,
} from './core/reader/index.ts';
export {
  type ImageInfo,
  loadMediaInfo,
  type MediaImage,
  type MediaLookup,
  mediaValue,
} from './core/reader/media-info.ts';
