/**
 * The unplugin factory behind `unplugin-buttercms/{vite,rollup,webpack,esbuild,rspack}`.
 *
 * Build start: make sure a snapshot is there (sync, or reuse a fresh one, or fall back on it
 * offline), then emit the media files into the output under `mediaBase`. `virtual:buttercms`
 * exports the local reader over the snapshot, each entity in its own lazily imported chunk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createUnplugin, type UnpluginFactory, type UnpluginOptions } from 'unplugin';
import { resolveProjectOptions } from '../../core/config.ts';
import type { Options } from '../../core/options.ts';
import { type Manifest, openSnapshot, type SnapshotStore } from '../../core/snapshot/index.ts';
import type { SnapshotChange } from '../../core/watch/context.ts';
import { entityModule, folderModule, foldersOf, isReaderFile, mainModule } from './codegen.ts';
import { ID_FILTER, parseId, RESOLVED_FILTER, RUNTIME_ID, resolved } from './ids.ts';
import { mediaAssets } from './media.ts';
import { RUNTIME_FILE, RUNTIME_FILTER, SOURCE_FILTER, stripSourceTypes } from './runtime-path.ts';
import { createPluginState, type PluginState, type Prepare, type ResolveOptions } from './state.ts';
import { vitePlugin } from './vite.ts';
import { webpackLike } from './webpack.ts';

export type { Options } from '../../core/options.ts';

async function loadVirtual(state: PluginState, id: string): Promise<string | undefined> {
  const parsed = parseId(id);
  if (!parsed || parsed.kind === 'runtime') return undefined;
  const { out, manifest, resolved: resolvedOptions } = await state.ready();
  if (parsed.kind === 'main') return mainModule(manifest, resolvedOptions.readerCache);
  if (parsed.kind === 'folder') {
    const files = foldersOf(manifest).get(parsed.folder);
    if (!files) throw new Error(`[buttercms] no snapshot folder ${parsed.folder}`);
    return folderModule(parsed.folder, files);
  }
  // Only entries the manifest lists: an id can never read outside the snapshot.
  if (!Object.hasOwn(manifest.hashes, parsed.path) || !isReaderFile(manifest, parsed.path)) {
    throw new Error(`[buttercms] ${parsed.path} is not in the snapshot (sync again?)`);
  }
  let store = opened.get(manifest);
  if (!store) {
    // Modules embed the stored text: only chunk files are kept, within the reader's budget.
    store = openSnapshot(out, resolvedOptions.readerCache * 1024 * 1024);
    store.catch(() => opened.delete(manifest));
    opened.set(manifest, store);
  }
  const text = await (await store).readText(parsed.path);
  if (text === undefined) throw new Error(`[buttercms] ${parsed.path} is missing (sync again?)`);
  return entityModule(text);
}

/** The snapshot's files, opened once per manifest. */
const opened = new WeakMap<Manifest, Promise<SnapshotStore>>();

/**
 * The plugin; `resolveOptions` gives its options (a host that resolved them already hands them
 * in), `prepare` lets a host share one snapshot preparation with its own code.
 */
export function createButterPlugin(
  resolveOptions: ResolveOptions,
  framework: string,
  prepare?: Prepare,
  onChange?: (change: SnapshotChange) => void,
): UnpluginOptions {
  const state = createPluginState(resolveOptions, framework, prepare, onChange);
  const loadFilters = SOURCE_FILTER
    ? [RESOLVED_FILTER, SOURCE_FILTER]
    : [RESOLVED_FILTER, RUNTIME_FILTER];

  return {
    name: 'unplugin-buttercms',
    enforce: 'pre',

    async buildStart() {
      const { resolved: options, out } = await state.ready();
      // Rebuilds in watch mode (rollup -w, webpack --watch…) serve a snapshot that changed on
      // disk meanwhile (`butter-sync` in another terminal), and the change triggers one.
      if (state.command === 'build') {
        await state.reread();
        try {
          this.addWatchFile(join(out, 'manifest.json'));
        } catch {} // esbuild allows it only in resolveId/load/transform
      }
      if (!options.media || !state.emitsMedia(this)) return;
      for (const asset of await mediaAssets(options.mediaDir, options.mediaBase)) {
        this.emitFile({ type: 'asset', fileName: asset.fileName, source: asset.source });
      }
    },

    resolveId: {
      filter: { id: ID_FILTER },
      handler(id) {
        const parsed = parseId(id);
        if (!parsed) return null;
        return parsed.kind === 'runtime' ? RUNTIME_FILE : resolved(id);
      },
    },

    load: {
      filter: { id: { include: loadFilters } },
      async handler(id) {
        if (SOURCE_FILTER?.test(id)) return stripSourceTypes(await readFile(id, 'utf8'));
        if (RUNTIME_FILTER.test(id)) return readFile(id, 'utf8');
        return loadVirtual(state, id);
      },
    },

    vite: vitePlugin(state),
    webpack: webpackLike(state),
    rspack: webpackLike(state),
    esbuild: {
      loader: 'js',
      config(options) {
        if (options.absWorkingDir) state.setHostRoot(options.absWorkingDir);
      },
    },
  };
}

export const unpluginFactory: UnpluginFactory<Options | undefined, false> = (options, meta) =>
  createButterPlugin((hostRoot) => resolveProjectOptions(options ?? {}, hostRoot), meta.framework);

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory);
export { RUNTIME_ID };
export default unplugin;
