/**
 * Astro: `buttercms(options)` in astro.config adds the Vite plugin (`virtual:buttercms`, media,
 * watch mode in `astro dev` only — `astro build`, `check` and `sync` run Vite servers of their
 * own, which must not poll) in `astro:config:setup`; `buttercmsLoader(...)` in content.config
 * feeds content collections from the same snapshot, prepared once for both. Typed with Astro's
 * own `AstroIntegration` (astro 6 and 7).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { createVitePlugin } from 'unplugin';
import { resolveProjectOptions } from '../../core/config.ts';
import type { Options } from '../../core/options.ts';
import { createButterPlugin } from '../unplugin/index.ts';
import { listMediaFiles, outputPrefix } from '../unplugin/media.ts';
import {
  notifySnapshotChange,
  registeredOptions,
  registerOptions,
  sharedPrepare,
} from './shared.ts';

export function buttercms(options: Options = {}): AstroIntegration {
  return {
    name: 'unplugin-buttercms',
    hooks: {
      // The options are resolved here, once, for the Vite plugin and the loaders alike.
      async 'astro:config:setup'({ config, command, updateConfig }) {
        const withRoot: Options = {
          ...options,
          root: options.root ?? fileURLToPath(config.root),
          ...(command === 'dev' ? {} : { watch: false }),
        };
        const project = await resolveProjectOptions(withRoot, undefined);
        registerOptions(project.options);
        const vitePlugin = createVitePlugin((_: undefined, meta) =>
          createButterPlugin(
            async () => project,
            meta.framework,
            sharedPrepare,
            () => notifySnapshotChange(project.options.out),
          ),
        );
        // unplugin's Vite types may come from another Vite than the site's Astro uses.
        updateConfig({ vite: { plugins: [vitePlugin() as never] } });
      },
      // Static pages are rendered by the server build, which emits no assets: copy the media
      // files into the final output here.
      async 'astro:build:done'({ dir }) {
        const resolved = registeredOptions();
        if (!resolved.media) return;
        const target = join(fileURLToPath(dir), outputPrefix(resolved.mediaBase));
        await mkdir(target, { recursive: true });
        for (const name of await listMediaFiles(resolved.mediaDir)) {
          await copyFile(join(resolved.mediaDir, name), join(target, name));
        }
      },
    },
  };
}
