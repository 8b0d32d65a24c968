/**
 * What one plugin instance knows: its options, resolved once (as soon as the host has said its
 * root: Vite's `configResolved`, webpack's compiler, esbuild's config; else at build start), the
 * host's logger, and the snapshot it serves. The snapshot is prepared once per instance
 * (rebuilds in watch mode reuse it) and replaced when the dev-server watcher refreshes it.
 */
import {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
} from '../../core/build-start.ts';
import type { ProjectOptions } from '../../core/config.ts';
import type { SnapshotOptions } from '../../core/options.ts';
import { type Manifest, readManifest } from '../../core/snapshot/index.ts';
import { consoleLogger, type Logger } from '../../core/toolkit/log.ts';
import type { SnapshotChange } from '../../core/watch/context.ts';

/** How the snapshot is prepared at build start (hosts that also prepare it elsewhere share it). */
export type Prepare = (options: SnapshotOptions, hooks: PrepareHooks) => Promise<PreparedSnapshot>;

/** Resolves the plugin's options, given the host's root when it has one. */
export type ResolveOptions = (hostRoot: string | undefined) => Promise<ProjectOptions>;

export interface Current {
  resolved: SnapshotOptions;
  out: string;
  manifest: Manifest;
}

export interface PluginState {
  readonly framework: string;
  /** The options and the config file merged into them, resolved at the first call. */
  options(): Promise<ProjectOptions>;
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
  resolveOptions: ResolveOptions,
  framework: string,
  prepare: Prepare = prepareSnapshot,
  onChange?: (change: SnapshotChange) => void,
): PluginState {
  let hostRoot: string | undefined;
  let resolved: Promise<ProjectOptions> | undefined;
  let pending: Promise<Current> | undefined;
  let current: Current | undefined;

  const state: PluginState = {
    framework,
    command: 'build',
    log: consoleLogger(process.env),
    onChange,
    options() {
      resolved ??= resolveOptions(hostRoot);
      return resolved;
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
        .options()
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
