export { defineConfig, type UserConfig } from './core/config.ts';
export { ButterError, type ButterErrorCode, OptionsError } from './core/errors.ts';
export {
  DEFAULT_API_URL,
  DEFAULT_MEDIA_HOSTS,
  type Levels,
  type Options,
  type ResolvedOptions,
  resolveOptions,
} from './core/options.ts';
export {
  type ContentKind,
  type EntityCounts,
  parseRef,
  type SyncEvent,
  type SyncHooks,
  type SyncLogger,
  type SyncResult,
  sync,
} from './core/sync/index.ts';
