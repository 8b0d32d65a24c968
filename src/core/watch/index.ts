/**
 * Keeping a snapshot fresh, for every host: build start (`prepareSnapshot`) and watch mode
 * (`startWatch`), behind the `HostContext` interface. No bundler imports.
 */
export { describeAge } from '../toolkit/format.ts';
export { consoleLogger, type Logger } from '../toolkit/log.ts';
export { ageOf } from './age.ts';
export { changedParts, type Fingerprint, fingerprint, scopeOf } from './check.ts';
export type { HostContext, SnapshotChange } from './context.ts';
export { changedFiles } from './diff.ts';
export {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
  resolveForSnapshot,
} from './prepare.ts';
export { mergeScopes, scopeOfParts, scopeOfWebhook } from './scope.ts';
export { startWatch, type Watcher, type WatchOptions } from './watcher.ts';
export {
  parseWebhook,
  randomSecret,
  WEBHOOK_PATH,
  type WebhookEvent,
  webhookMiddleware,
} from './webhook.ts';
