/**
 * Keeping a snapshot fresh, for every host: build start (`prepareSnapshot`) and watch mode
 * (`startWatch`), behind the `HostContext` interface. No bundler imports.
 */
export { ageOf, describeAge } from './age.ts';
export {
  consoleLogger,
  type HostContext,
  type SnapshotChange,
  type WatchLogger,
} from './context.ts';
export { changedFiles } from './diff.ts';
export {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
  resolveForSnapshot,
} from './prepare.ts';
export { mergeScopes, scopeOfWebhook } from './scope.ts';
export { startWatch, type Watcher, type WatchOptions } from './watcher.ts';
export {
  parseWebhook,
  randomSecret,
  WEBHOOK_PATH,
  type WebhookEvent,
  webhookMiddleware,
} from './webhook.ts';
