/**
 * Astro: `buttercms(options)` in astro.config adds the Vite plugin (`virtual:buttercms`, media,
 * watch mode in `astro dev`) in `astro:config:setup`; `buttercmsLoader(...)` in content.config
 * feeds content collections from the same snapshot, prepared once for both.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitePlugin } from 'unplugin';
import type { Options } from '../../core/options.ts';
import { resolveForSnapshot } from '../../core/watch/prepare.ts';
import { createButterPlugin } from '../unplugin/index.ts';
import { listMediaFiles, outputPrefix } from '../unplugin/media.ts';
import {
  notifySnapshotChange,
  registeredOptions,
  registerOptions,
  sharedPrepare,
} from './shared.ts';

/** The parts of Astro's integration API used here (astro is not imported). */
export interface AstroIntegration {
  name: string;
  hooks: {
    'astro:config:setup'?: (params: {
      config: { root: URL };
      updateConfig(config: { vite: { plugins: unknown[] } }): unknown;
    }) => void | Promise<void>;
    'astro:build:done'?: (params: { dir: URL }) => void | Promise<void>;
  };
}

export function buttercms(options: Options = {}): AstroIntegration {
  return {
    name: 'unplugin-buttercms',
    hooks: {
      'astro:config:setup'({ config, updateConfig }) {
        const withRoot: Options = { ...options, root: options.root ?? fileURLToPath(config.root) };
        registerOptions(withRoot);
        const vitePlugin = createVitePlugin((o: Options | undefined, meta) =>
          createButterPlugin(o ?? {}, meta.framework, sharedPrepare, () => {
            const { resolved } = resolveForSnapshot(withRoot, process.env);
            notifySnapshotChange(resolved.out);
          }),
        );
        updateConfig({ vite: { plugins: [vitePlugin(withRoot)] } });
      },
      // Static pages are rendered by the server build, which emits no assets: copy the media
      // files into the final output here.
      async 'astro:build:done'({ dir }) {
        const { resolved } = resolveForSnapshot(registeredOptions(), process.env);
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
