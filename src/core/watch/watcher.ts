/**
 * Watch mode, for any host (the Vite dev server, `next dev`, `butter-sync --watch`): keeps the
 * snapshot fresh and tells the host what changed through its `HostContext`.
 *
 * - every `pollInterval`, a warm sync (`sync/warm`): the sync's own cheap checks, requests
 *   only where content may have changed, a new snapshot only when it did;
 * - accepts ButterCMS webhooks (`webhook.ts`) and re-syncs at once;
 * - watches the snapshot folder (a `butter-sync` in another terminal) and the config files.
 *
 * Refreshes run one at a time (requests during one are coalesced into one more). A failed
 * refresh logs and keeps the last good snapshot; nothing here ever throws into the host.
 */
import { basename, dirname, join } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { TYPES_LOCK_FILE } from '../codegen/lock.ts';
import { missingToken, requireToken, type SnapshotOptions } from '../options.ts';
import { type Manifest, readManifest } from '../snapshot/index.ts';
import { syncResolved } from '../sync/index.ts';
import type { SyncHooks, SyncResult, SyncScope } from '../sync/types.ts';
import { ageOf } from '../toolkit/age.ts';
import { describeAge } from '../toolkit/format.ts';
import type { HostContext } from './context.ts';
import { changedFiles } from './diff.ts';
import { mergeScopes, scopeOfWebhook } from './scope.ts';
import { randomSecret, type WebhookEvent, webhookMiddleware } from './webhook.ts';

export interface WatchOptions {
  /** The same options the build used (a refresh needs their token). */
  options: SnapshotOptions;
  host: HostContext;
  /** Files whose change reloads the host (config files). */
  configFiles?: string[];
  /** See `SyncHooks.fetch`. */
  fetch?: SyncHooks['fetch'];
  /**
   * What the host has warned about already (its first sync's warnings: their `topic`, else the
   * message; see `Logger.warn`): not shown again while it lasts.
   */
  shownWarnings?: readonly string[];
}

export interface Watcher {
  /** The webhook secret in use (the option, or a random one). */
  secret: string;
  /** Connect-style middleware for `/__buttercms/webhook`. */
  webhook: ReturnType<typeof webhookMiddleware>;
  /**
   * Re-syncs now (coalesced with a refresh in progress): only the part `only` names, merged
   * into the current snapshot, or everything without it.
   */
  refresh(reason: string, only?: SyncScope): Promise<void>;
  /** One change check now, as the poll timer would. Resolves when any refresh it started ends. */
  check(): Promise<void>;
  /** The snapshot currently served. */
  manifest(): Manifest | undefined;
  close(): Promise<void>;
}

const errorLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .replace(/^\[buttercms\] /, '')
    .split('\n')[0];

export async function startWatch(watchOptions: WatchOptions): Promise<Watcher> {
  const { host, options } = watchOptions;
  // Without a token the snapshot is served as it is: nothing can refresh it.
  const withToken = options.token === undefined ? undefined : requireToken(options);
  const secret = options.webhookSecret ?? randomSecret();
  let current = await readManifest(options.out);
  let running: Promise<void> | undefined;
  let again: { reason: string; only: SyncScope | undefined } | undefined;
  let closed = false;

  /**
   * Tells the host about a new snapshot, if it differs from the one served. `ownTypes`: whether
   * our own sync rewrote the declarations; those of a snapshot another process wrote follow its
   * `types.lock.json`.
   */
  async function adopt(manifest: Manifest, reason: string, ownTypes?: boolean): Promise<void> {
    const files = changedFiles(current, manifest);
    const typesChanged = ownTypes ?? files.includes(TYPES_LOCK_FILE);
    current = manifest;
    if (files.length === 0 && !typesChanged) return;
    host.log.info(`content changed (${reason}): ${files.length} snapshot files`);
    try {
      await host.invalidate({ files, typesChanged, manifest, reason });
    } catch (error) {
      host.log.error(`refreshing the page failed: ${errorLine(error)}`);
    }
  }

  // A warning that persists (a media file that keeps failing) is shown once, not on every
  // refresh: each refresh shows only the topics the one before did not warn about.
  let warned = new Set(watchOptions.shownWarnings ?? []);
  /** A poll that keeps failing (the API unreachable) says so once, until one succeeds. */
  let pollFailed = false;
  async function refreshOnce(reason: string, only: SyncScope | undefined): Promise<void> {
    if (!withToken) {
      host.log.warn(`cannot refresh (${reason}): ${errorLine(missingToken())}`);
      return;
    }
    const warnings = new Set<string>();
    let result: SyncResult;
    try {
      result = await syncResolved(withToken, {
        fetch: watchOptions.fetch,
        logger: {
          warn(message, topic = message) {
            if (!warned.has(topic)) host.log.warn(message);
            warnings.add(topic);
          },
          info: () => {},
          ...(host.log.debug ? { debug: host.log.debug } : {}),
        },
        ...(only ? { only } : {}),
      });
      warned = warnings;
      pollFailed = false;
    } catch (error) {
      const polled = reason === 'poll';
      if (polled && pollFailed) return;
      pollFailed = polled;
      const age = current ? ` synced ${describeAge(ageOf(current.syncedAt, Date.now()))} ago` : '';
      host.log.error(`refresh (${reason}) failed, keeping the snapshot${age}: ${errorLine(error)}`);
      return;
    }
    await adopt(result.manifest, reason, result.types?.changed === true);
  }

  function refresh(reason: string, only?: SyncScope): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = again
        ? { reason: `${again.reason}; ${reason}`, only: mergeScopes(again.only, only) }
        : { reason, only };
      return running;
    }
    running = (async () => {
      let next: typeof again = { reason, only };
      while (next !== undefined && !closed) {
        again = undefined;
        await refreshOnce(next.reason, next.only);
        next = again;
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  /** A poll: a warm sync, whose checks tell what changed (nothing written when nothing did). */
  async function check(): Promise<void> {
    if (!withToken || closed) return;
    await refresh('poll');
  }

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (closed || options.pollInterval === false) return;
    timer = setTimeout(() => {
      check()
        .catch((error) => host.log.warn(`change check failed: ${errorLine(error)}`))
        .finally(schedule);
    }, options.pollInterval);
  };
  if (withToken) schedule();

  // The snapshot folder (swapped by rename, so watch its parent) and the config files.
  let debounce: NodeJS.Timeout | undefined;
  const onSnapshotEvent = () => {
    clearTimeout(debounce);
    debounce = setTimeout(async () => {
      if (running || closed) return; // our own refresh adopts what it writes
      const manifest = await readManifest(options.out);
      if (manifest && manifest.syncedAt !== current?.syncedAt) await adopt(manifest, 'snapshot');
    }, 150);
  };
  const parent = dirname(options.out);
  const name = basename(options.out);
  const snapshotWatcher: FSWatcher = watch(parent, {
    ignoreInitial: true,
    depth: 1,
    ignored: (path: string) =>
      path !== parent && path !== options.out && path !== join(options.out, 'manifest.json'),
  });
  snapshotWatcher.on('all', (_event, path) => {
    if (path === options.out || path.startsWith(join(parent, name))) onSnapshotEvent();
  });
  const configFiles = watchOptions.configFiles ?? [];
  // A change counts once the file has stopped growing: an editor or a script writing it in
  // several steps must not have it read half-written.
  const configWatcher =
    configFiles.length > 0
      ? watch(configFiles, {
          ignoreInitial: true,
          awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 20 },
        })
      : undefined;
  configWatcher?.on('change', (file) => {
    Promise.resolve(host.reload(`${basename(file)} changed`)).catch((error) =>
      host.log.error(`reload failed: ${errorLine(error)}`),
    );
  });

  // Until its first scan is done a watcher misses changes: a config edited right after the
  // host said it is watching would go unnoticed.
  await Promise.all(
    [snapshotWatcher, configWatcher].map(
      (watcher) =>
        watcher && new Promise<void>((resolve) => watcher.once('ready', () => resolve())),
    ),
  );

  const onWebhook = (event: WebhookEvent) => {
    void refresh(`webhook ${event.event}${event.id ? ` ${event.id}` : ''}`, scopeOfWebhook(event));
  };

  return {
    secret,
    webhook: webhookMiddleware(secret, onWebhook),
    refresh,
    check,
    manifest: () => current,
    async close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(debounce);
      await Promise.all([snapshotWatcher.close(), configWatcher?.close()]);
      await running;
    },
  };
}
