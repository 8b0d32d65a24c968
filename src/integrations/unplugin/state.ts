/**
 * What one plugin instance knows: the user's options, the host's root and logger, and the
 * snapshot it serves. The snapshot is prepared once per instance (rebuilds in watch mode reuse
 * it) and replaced when the dev-server watcher refreshes it.
 */
import { loadConfig } from '../../core/config.ts';
import type { Options, ResolvedOptions } from '../../core/options.ts';
import { type Manifest, readManifest } from '../../core/snapshot/index.ts';
import { consoleLogger, type Logger } from '../../core/toolkit/log.ts';
import type { SnapshotChange } from '../../core/watch/context.ts';
import {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
} from '../../core/watch/prepare.ts';

/** How the snapshot is prepared at build start (hosts that also prepare it elsewhere share it). */
export type Prepare = (options: Options, hooks: PrepareHooks) => Promise<PreparedSnapshot>;

export interface Current {
  resolved: ResolvedOptions;
  out: string;
  manifest: Manifest;
}

export interface PluginState {
  readonly userOptions: Options;
  readonly framework: string;
  /** The options as the host sees them: `root` defaults to the host's root. */
  options(): Options;
  /**
   * The options merged over the project's `butter.config.*` (the CLI's; found from the root
   * upwards) — the plugin's own options win — and the config file's path.
   */
  fullOptions(): Promise<{ options: Options; configFile: string | undefined }>;
  setHostRoot(root: string): void;
  log: Logger;
  setLogger(log: Logger): void;
  /** `vite build` vs `vite` (dev server); other bundlers always build. */
  command: 'build' | 'serve';
  /** Prepares the snapshot on first call; the current one afterwards. */
  ready(): Promise<Current>;
  /** The watcher refreshed the snapshot. */
  update(manifest: Manifest): void;
  /** Told after each refresh in watch mode (hosts with their own consumers, e.g. Astro loaders). */
  onChange: ((change: SnapshotChange) => void) | undefined;
  /** Adopts the snapshot on disk if another process rewrote it. */
  reread(): Promise<void>;
  /** Whether this build copies media into its output (client builds only). */
  emitsMedia(context: unknown): boolean;
}

export function createPluginState(
  userOptions: Options,
  framework: string,
  prepare: Prepare = prepareSnapshot,
  onChange?: (change: SnapshotChange) => void,
): PluginState {
  let hostRoot: string | undefined;
  let loaded: Promise<{ options: Options; configFile: string | undefined }> | undefined;
  let pending: Promise<Current> | undefined;
  let current: Current | undefined;

  const state: PluginState = {
    userOptions,
    framework,
    command: 'build',
    log: consoleLogger(process.env),
    onChange,
    options: () => ({ ...userOptions, root: userOptions.root ?? hostRoot }),
    fullOptions() {
      loaded ??= (async () => {
        const base = state.options();
        const { path, options: fromFile } = await loadConfig(base.root ?? process.cwd());
        const own = Object.fromEntries(
          Object.entries(userOptions).filter(([, v]) => v !== undefined),
        ) as Options;
        const root = userOptions.root ?? (path ? fromFile.root : base.root);
        return { options: { ...fromFile, ...own, root }, configFile: path };
      })();
      return loaded;
    },
    setHostRoot(root) {
      hostRoot = root;
    },
    setLogger(log) {
      state.log = log;
    },
    ready() {
      if (current) return Promise.resolve(current);
      pending ??= state
        .fullOptions()
        .then(({ options }) => prepare(options, { log: state.log }))
        .then(
          (prepared) => {
            current = {
              resolved: prepared.options,
              out: prepared.out,
              manifest: prepared.manifest,
            };
            return current;
          },
          (error: unknown) => {
            pending = undefined; // a later build may try again
            throw error;
          },
        );
      return pending;
    },
    update(manifest) {
      if (current) current = { ...current, manifest };
    },
    async reread() {
      if (!current) return;
      const manifest = await readManifest(current.out);
      if (manifest && manifest.syncedAt !== current.manifest.syncedAt) state.update(manifest);
    },
    emitsMedia(context) {
      if (framework !== 'vite') return true;
      if (state.command !== 'build') return false;
      const env = (context as { environment?: { config?: { consumer?: string } } }).environment;
      return env?.config?.consumer !== 'server';
    },
  };
  return state;
}
