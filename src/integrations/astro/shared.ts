/**
 * What the Astro integration and its loaders share within one process: the integration's
 * options (content.config.ts does not repeat them) and one snapshot preparation per folder.
 * Kept on globalThis: Astro loads astro.config and content.config through different module
 * graphs, which may instantiate this module twice.
 */
import {
  type PreparedSnapshot,
  type PrepareHooks,
  prepareSnapshot,
} from '../../core/build-start.ts';
import { resolveSnapshotOptions, type SnapshotOptions } from '../../core/options.ts';

interface Shared {
  options?: SnapshotOptions;
  prepared: Map<string, Promise<PreparedSnapshot>>;
  /** Loaders to tell when watch mode refreshed a snapshot folder. */
  listeners: Set<(out: string) => void>;
}

const KEY = Symbol.for('unplugin-buttercms.astro');
const scope = globalThis as { [KEY]?: Shared };
scope[KEY] ??= { prepared: new Map(), listeners: new Set() };
const shared: Shared = scope[KEY];

export function registerOptions(options: SnapshotOptions): void {
  shared.options = options;
}

export function onSnapshotChange(listener: (out: string) => void): () => void {
  shared.listeners.add(listener);
  return () => shared.listeners.delete(listener);
}

export function notifySnapshotChange(out: string): void {
  for (const listener of shared.listeners) listener(out);
}

/** The integration's options (the defaults, resolved, for a loader used without it). */
export function registeredOptions(): SnapshotOptions {
  shared.options ??= resolveSnapshotOptions({});
  return shared.options;
}

/** `prepareSnapshot`, once per snapshot folder and process. */
export function sharedPrepare(
  options: SnapshotOptions,
  hooks: PrepareHooks,
): Promise<PreparedSnapshot> {
  let pending = shared.prepared.get(options.out);
  if (!pending) {
    pending = prepareSnapshot(options, hooks);
    pending.catch(() => shared.prepared.delete(options.out));
    shared.prepared.set(options.out, pending);
  }
  return pending;
}
