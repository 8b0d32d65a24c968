export {
  emitDeclarations,
  formatTypeChanges,
  type GenerateTypesOptions,
  type GenerateTypesResult,
  generateTypes,
  inferSchema,
  type TypeChange,
  type TypesLock,
} from './core/codegen/index.ts';
export { defineConfig, type UserConfig } from './core/config.ts';
export { ButterError, type ButterErrorCode, OptionsError } from './core/errors.ts';
export {
  collectMediaUrls,
  type DownloadOptions,
  describeMediaReport,
  downloadMedia,
  type MediaFailure,
  type MediaFile,
  type MediaHooks,
  type MediaReport,
  type MediaUse,
  type MediaWarning,
  rewriteMediaUrls,
  syncMedia,
} from './core/media/index.ts';
export {
  DEFAULT_API_URL,
  DEFAULT_MEDIA_HOSTS,
  type Levels,
  type Options,
  type ResolvedOptions,
  resolveOptions,
  type SnapshotOptions,
} from './core/options.ts';
export { type ApiProfile, learnApiProfile } from './core/reader/index.ts';
export {
  type Manifest,
  readManifest,
  readSnapshot,
  writeSnapshot,
} from './core/snapshot/index.ts';
export {
  type ContentKind,
  type EntityCounts,
  parseRef,
  type SyncEvent,
  type SyncHooks,
  type SyncResult,
  sync,
} from './core/sync/index.ts';
export type { Logger } from './core/toolkit/log.ts';
export * from './reader.ts';
