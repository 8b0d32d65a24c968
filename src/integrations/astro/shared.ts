/**
 * What the Astro integration and its loaders share within one process: the integration's
 * options (content.config.ts does not repeat them) and one snapshot preparation per folder.
 * Kept on globalThis: Astro loads astro.config and content.config through different module
 * graphs, which may instantiate this module twice.
 */
import type { Options } from '../../core/options.ts';
import {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
  resolveForSnapshot,
} from '../../core/watch/prepare.ts';

interface Shared {
  options?: Options;
  prepared: Map<string, Promise<PreparedSnapshot>>;
  /** Loaders to tell when watch mode refreshed a snapshot folder. */
  listeners: Set<(out: string) => void>;
}

const KEY = Symbol.for('unplugin-buttercms.astro');
const scope = globalThis as { [KEY]?: Shared };
scope[KEY] ??= { prepared: new Map(), listeners: new Set() };
const shared: Shared = scope[KEY];

export function registerOptions(options: Options): void {
  shared.options = options;
}

export function onSnapshotChange(listener: (out: string) => void): () => void {
  shared.listeners.add(listener);
  return () => shared.listeners.delete(listener);
}

export function notifySnapshotChange(out: string): void {
  for (const listener of shared.listeners) listener(out);
}

export function registeredOptions(): Options {
  return shared.options ?? {};
}

/** `prepareSnapshot`, once per snapshot folder and process. */
export function sharedPrepare(options: Options, hooks: PrepareHooks): Promise<PreparedSnapshot> {
  const { resolved } = resolveForSnapshot(options, hooks.env ?? process.env);
  let pending = shared.prepared.get(resolved.out);
  if (!pending) {
    pending = prepareSnapshot(options, hooks);
    pending.catch(() => shared.prepared.delete(resolved.out));
    shared.prepared.set(resolved.out, pending);
  }
  return pending;
}
