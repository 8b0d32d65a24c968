/**
 * Next.js: `withButter(nextConfig, options)` syncs while `next.config` is evaluated — before
 * Turbopack or webpack start, so it works with both — once per build however many processes
 * evaluate the config (`./once.ts`). In `next dev` it also starts watch mode; pages read the
 * snapshot with `createLocalButter` (or `nextButter()`, which notices a refreshed snapshot).
 *
 * The alternative without a config wrapper: `"prebuild": "butter-sync"` in package.json.
 */
import type { Options } from '../../core/options.ts';
import { consoleLogger } from '../../core/watch/context.ts';
import { prepareSnapshot, resolveForSnapshot } from '../../core/watch/prepare.ts';
import { startWatch, type Watcher } from '../../core/watch/watcher.ts';
import { once } from './once.ts';

/** Next.js's phases (`next/constants`), by value so that this module does not import next. */
export const PHASE_BUILD = 'phase-production-build';
export const PHASE_DEV = 'phase-development-server';
export const PHASE_EXPORT = 'phase-export';

type ConfigFunction<C> = (phase: string, context: { defaultConfig: object }) => C | Promise<C>;

const WATCH_ENV = 'BUTTERCMS_WATCHING';
let watcher: Watcher | undefined;

/** Syncs (once) and, in `next dev`, keeps the snapshot fresh. */
export async function prepareForNext(phase: string, options: Options = {}): Promise<void> {
  if (phase !== PHASE_BUILD && phase !== PHASE_DEV && phase !== PHASE_EXPORT) return;
  const { resolved } = resolveForSnapshot(options, process.env);
  await once({ out: resolved.out }, async () => {
    await prepareSnapshot(options, { log: consoleLogger });
  });
  // One watcher for the dev server, in the first process that evaluates the config.
  if (phase === PHASE_DEV && resolved.watch && !watcher && !process.env[WATCH_ENV]) {
    process.env[WATCH_ENV] = String(process.pid);
    watcher = await startWatch({
      options,
      host: {
        log: consoleLogger,
        // Server code reads the snapshot from disk; `nextButter()` sees the new manifest.
        invalidate: (change) => consoleLogger.info(`snapshot refreshed (${change.reason})`),
        reload: (reason) => consoleLogger.warn(`${reason}: restart \`next dev\` to apply it`),
      },
    });
  }
}

export function withButter<C extends object>(
  nextConfig: C | ConfigFunction<C> = {} as C,
  options: Options = {},
): ConfigFunction<C> {
  return async (phase, context) => {
    await prepareForNext(phase, options);
    return typeof nextConfig === 'function' ? nextConfig(phase, context) : nextConfig;
  };
}

/** Stops the dev watcher (tests). */
export async function stopNextWatch(): Promise<void> {
  await watcher?.close();
  watcher = undefined;
  delete process.env[WATCH_ENV];
}
