/**
 * Keeping a snapshot fresh in watch mode, for every host (`startWatch`), behind the
 * `HostContext` interface. No bundler imports. (Build start is `../build-start.ts`.)
 */

export { ageOf } from '../toolkit/age.ts';
export { describeAge } from '../toolkit/format.ts';
export { consoleLogger, type Logger } from '../toolkit/log.ts';
export type { HostContext, SnapshotChange } from './context.ts';
export { changedFiles } from './diff.ts';
export { mergeScopes, scopeOfWebhook } from './scope.ts';
export { startWatch, type Watcher, type WatchOptions } from './watcher.ts';
export {
  parseWebhook,
  randomSecret,
  WEBHOOK_PATH,
  type WebhookEvent,
  webhookMiddleware,
} from './webhook.ts';
