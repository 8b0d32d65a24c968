/**
 * The Vite dev server as a watch-mode host: it serves the webhook endpoint and, when content
 * changes, invalidates the virtual modules that read it (in every environment) and reloads
 * the pages that loaded them.
 */
import type { ViteDevServer } from 'vite';
import type { SnapshotChange } from '../../core/watch/context.ts';
import { startWatch, type Watcher } from '../../core/watch/watcher.ts';
import { WEBHOOK_PATH } from '../../core/watch/webhook.ts';
import { entityId, FOLDER_PREFIX, folderOf, MAIN_ID, resolved } from './ids.ts';
import type { PluginState } from './state.ts';

/** Resolved ids of the modules that serve `files`, the main module included. */
export function affectedIds(files: string[]): string[] {
  const ids = new Set([resolved(MAIN_ID)]);
  for (const file of files) {
    ids.add(resolved(FOLDER_PREFIX + folderOf(file)));
    ids.add(resolved(entityId(file)));
  }
  return [...ids];
}

function invalidate(server: ViteDevServer, change: SnapshotChange): boolean {
  let loaded = false;
  const timestamp = Date.now();
  for (const environment of Object.values(server.environments)) {
    const graph = environment.moduleGraph;
    const seen = new Set<Parameters<typeof graph.invalidateModule>[0]>();
    for (const id of affectedIds(change.files)) {
      const mod = graph.getModuleById(id);
      if (!mod) continue;
      graph.invalidateModule(mod, seen, timestamp, true);
      loaded = true; // in any environment: server-rendered pages need a reload too
    }
  }
  return loaded;
}

export function startDevServer(state: PluginState, server: ViteDevServer): () => Promise<void> {
  let watcher: Watcher | undefined;
  let stopped = false;

  server.middlewares.use((req, res, next) => {
    if (!req.url?.startsWith(WEBHOOK_PATH)) return next();
    if (!watcher) {
      res.statusCode = 503;
      return res.end('{"status":"watch mode is not running"}');
    }
    watcher.webhook(req, res, next);
  });

  const start = async () => {
    const { resolved: options } = await state.ready();
    if (!options.watch || stopped) return;
    const { configFile } = await state.options();
    watcher = await startWatch({
      options,
      configFiles: configFile ? [configFile] : [],
      host: {
        log: state.log,
        invalidate(change) {
          state.update(change.manifest);
          state.onChange?.(change);
          const loaded = invalidate(server, change);
          server.environments.client?.hot.send('buttercms:update', {
            files: change.files,
            reason: change.reason,
          });
          if (loaded || change.typesChanged) {
            server.environments.client?.hot.send({ type: 'full-reload', path: '*' });
          }
        },
        async reload(reason) {
          state.log.info(`${reason}: restarting the dev server`);
          await server.restart();
        },
      },
    });
    if (stopped) return watcher.close();
    const shown = options.webhookSecret ? '<webhookSecret>' : watcher.secret;
    const poll =
      options.pollInterval === false
        ? 'no polling'
        : `poll every ${Math.round(options.pollInterval / 1000)}s`;
    const announce = () => {
      const base = (server.resolvedUrls?.local[0] ?? 'http://localhost/').replace(/\/$/, '');
      state.log.info(
        `watching ButterCMS (${poll}); webhook: POST ${base}${WEBHOOK_PATH}?secret=${shown}`,
      );
    };
    if (server.resolvedUrls || !server.httpServer) announce();
    else server.httpServer.once('listening', () => setTimeout(announce, 0));
  };
  const started = start().catch((error: unknown) => {
    state.log.error(`watch mode did not start: ${(error as Error).message}`);
  });

  return async () => {
    stopped = true;
    await started;
    await watcher?.close();
    watcher = undefined;
  };
}
