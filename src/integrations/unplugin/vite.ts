/**
 * Vite-only hooks: the host's root, command and logger; in the dev server, the media files
 * (served from the snapshot), the webhook endpoint and the watch loop (`./dev.ts`).
 */
import type { Plugin } from 'vite';
import { debugEnabled } from '../../core/toolkit/log.ts';
import { startDevServer } from './dev.ts';
import { mediaMiddleware } from './media.ts';
import type { PluginState } from './state.ts';

export function vitePlugin(state: PluginState): Partial<Plugin> {
  let stop: (() => Promise<void>) | undefined;
  return {
    // The options are resolved here, once the root is known, and held from then on.
    async configResolved(config) {
      state.setHostRoot(config.root);
      state.command = config.command;
      state.setLogger({
        info: (m) => config.logger.info(`[buttercms] ${m}`, { timestamp: true }),
        warn: (m) => config.logger.warn(`[buttercms] ${m}`, { timestamp: true }),
        error: (m) => config.logger.error(`[buttercms] ${m}`, { timestamp: true }),
        ...(debugEnabled(process.env)
          ? {
              debug: (m: string) =>
                config.logger.info(`[buttercms] debug: ${m}`, { timestamp: true }),
            }
          : {}),
      });
      await state.options();
    },
    async configureServer(server) {
      const { options } = await state.options();
      server.middlewares.use(mediaMiddleware(() => options.mediaDir, options.mediaBase));
      stop = startDevServer(state, server);
    },
    async buildEnd() {
      // The dev server closing (`vite build` never starts the watcher).
      await stop?.();
      stop = undefined;
    },
  };
}
