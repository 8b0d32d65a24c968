/**
 * Next.js: `withButter(nextConfig, options)` syncs while `next.config` is evaluated — before
 * Turbopack or webpack start, so it works with both — once per build however many processes
 * evaluate the config (`./once.ts`), and mirrors the media files into `public/` where Next
 * serves them (`./media.ts`). In `next dev` it also starts watch mode, and makes the pages that
 * read the snapshot depend on its manifest, so a refresh re-renders them in the open tab.
 * Pages read with `unplugin-buttercms/next/reader` (`./reader.ts`), which imports none of this.
 *
 * The alternative without a config wrapper: `"prebuild": "butter-sync"` in package.json.
 */
import { createRequire } from 'node:module';
import { relative, resolve, sep } from 'node:path';
import { prepareSnapshot } from '../../core/build-start.ts';
import { cacheDirFor } from '../../core/cache-dir.ts';
import { type Options, resolveSnapshotOptions, type SnapshotOptions } from '../../core/options.ts';
import { consoleLogger } from '../../core/toolkit/log.ts';
import { startWatch, type Watcher } from '../../core/watch/watcher.ts';
import { mirrorMedia, publicMediaDir } from './media.ts';
import { once } from './once.ts';
import { SNAPSHOT_ENV, STAMP_MODULE } from './stamp.ts';

/** Next.js's phases (`next/constants`), by value so that this module does not import next. */
export const PHASE_BUILD = 'phase-production-build';
export const PHASE_DEV = 'phase-development-server';
export const PHASE_EXPORT = 'phase-export';
/** The phases that build or serve in development: those sync (the others read the snapshot). */
const SYNC_PHASES = new Set([PHASE_BUILD, PHASE_DEV, PHASE_EXPORT]);

type ConfigFunction<C> = (phase: string, context: { defaultConfig: object }) => C | Promise<C>;

/** The parts of Next's config `withButter` reads or extends. */
interface NextConfigParts {
  basePath?: string;
  env?: Record<string, string | undefined>;
  webpack?: ((config: WebpackConfig, context: unknown) => WebpackConfig) | null;
  turbopack?: { resolveAlias?: Record<string, unknown>; [key: string]: unknown };
}
interface WebpackConfig {
  resolve?: { alias?: unknown };
  module?: { rules?: unknown[] };
  plugins?: unknown[];
  [key: string]: unknown;
}
interface WebpackCompiler {
  watching?: { invalidate(): void };
}

const require = createRequire(import.meta.url);
/** The loader of the stamp module under webpack, resolved as the site resolves it. */
const STAMP_LOADER = require.resolve(`${STAMP_MODULE}-loader`);

/**
 * The webpack compilers of `next dev` in this process (on globalThis: Next may load next.config
 * more than once, and the watcher lives in the first load).
 */
const COMPILERS = Symbol.for('unplugin-buttercms.next.compilers');
const scope = globalThis as { [COMPILERS]?: Set<WebpackCompiler> };
scope[COMPILERS] ??= new Set();
const compilers = scope[COMPILERS];

/** Makes webpack's dev compilers build again, which rebuilds the stamp module. */
function nudgeWebpack(): void {
  for (const compiler of compilers) compiler.watching?.invalidate();
}

const WATCH_ENV = 'BUTTERCMS_WATCHING';
let watcher: Watcher | undefined;

const log = consoleLogger(process.env);

async function mirror(resolved: SnapshotOptions, basePath: string | undefined): Promise<void> {
  const target = publicMediaDir(resolved.root, resolved, basePath);
  if (target) await mirrorMedia(resolved.mediaDir, target);
}

/**
 * Syncs (once) and, in `next dev`, keeps the snapshot fresh. Resolves to the options in use,
 * or `undefined` in phases that read the snapshot only (`next start`).
 */
export async function prepareForNext(
  phase: string,
  options: Options = {},
  /** The Next config's `basePath`. */
  basePath?: string,
): Promise<SnapshotOptions | undefined> {
  if (!SYNC_PHASES.has(phase)) return undefined;
  const resolved = resolveSnapshotOptions(options, process.env);
  await prepareResolved(phase, resolved, basePath);
  return resolved;
}

/** `prepareForNext` with the options resolved. */
async function prepareResolved(
  phase: string,
  resolved: SnapshotOptions,
  basePath: string | undefined,
): Promise<void> {
  await once({ out: resolved.out, cacheDir: cacheDirFor(resolved.root) }, async () => {
    await prepareSnapshot(resolved, { log });
  });
  await mirror(resolved, basePath);
  // One watcher for the dev server, in the first process that evaluates the config.
  if (phase === PHASE_DEV && resolved.watch && !watcher && !process.env[WATCH_ENV]) {
    process.env[WATCH_ENV] = String(process.pid);
    watcher = await startWatch({
      options: resolved,
      host: {
        log,
        // The pages depend on the manifest (`extendConfig`): Next re-renders them.
        invalidate: async (change) => {
          await mirror(resolved, basePath);
          nudgeWebpack();
          log.info(`snapshot refreshed (${change.reason})`);
        },
        reload: (reason) => log.warn(`${reason}: restart \`next dev\` to apply it`),
      },
    });
    const poll =
      resolved.pollInterval === false
        ? 'no polling'
        : `poll every ${Math.round(resolved.pollInterval / 1000)}s`;
    log.info(`watching ButterCMS (${poll}); open pages re-render when the snapshot changes`);
  }
}

/** `/docs` → media under `/docs/buttercms/`, where Next serves `public/buttercms/`. */
function withBasePath(options: Options, basePath: string | undefined): Options {
  if (!basePath || options.mediaBase !== undefined) return options;
  return { ...options, mediaBase: `${basePath.replace(/\/+$/, '')}/buttercms/` };
}

/**
 * What Next needs besides the user's config: where the snapshot is (`nextButter()` reads it from
 * `process.env.BUTTERCMS_SNAPSHOT`), and in dev the alias that makes the reader module depend on
 * the snapshot's manifest, with Turbopack and with webpack.
 */
function extendConfig<C extends NextConfigParts>(
  config: C,
  resolved: SnapshotOptions,
  dev: boolean,
): C {
  const snapshot = relative(resolved.root, resolved.out).split(sep).join('/') || '.';
  // Inlined into the bundles by Next; also for this process's own rendering (`next start`).
  process.env[SNAPSHOT_ENV] ??= snapshot;
  const extended: C = { ...config, env: { ...config.env, [SNAPSHOT_ENV]: snapshot } };
  if (!dev) return extended;
  const manifest = resolve(resolved.out, 'manifest.json');
  const fromRoot = `./${relative(resolved.root, manifest).split(sep).join('/')}`;

  const userWebpack = config.webpack;
  return {
    ...extended,
    // Turbopack follows the manifest across the snapshot's folder swaps by itself.
    turbopack: {
      ...config.turbopack,
      resolveAlias: { ...config.turbopack?.resolveAlias, [STAMP_MODULE]: fromRoot },
    },
    // webpack: the same alias, so that the module is the project's file and lands in each page's
    // own chunk (Next compares those to find changed server components, not vendor chunks). Its
    // watcher loses a file whose folder is renamed away, as every sync does: the module is built
    // by a loader at each compilation instead (`next-stamp-loader.cjs`), and a refresh by the
    // watcher (in this process) starts one (`nudgeWebpack`).
    webpack(webpackConfig: WebpackConfig, context: unknown) {
      webpackConfig.resolve ??= {};
      webpackConfig.resolve.alias = {
        ...(webpackConfig.resolve.alias as Record<string, unknown> | undefined),
        [`${STAMP_MODULE}$`]: manifest,
      };
      webpackConfig.module ??= {};
      webpackConfig.module.rules ??= [];
      webpackConfig.module.rules.push({
        test: (file: string) => file === manifest,
        type: 'javascript/auto',
        use: [{ loader: STAMP_LOADER, options: { manifest } }],
      });
      webpackConfig.plugins ??= [];
      webpackConfig.plugins.push({ apply: (compiler: WebpackCompiler) => compilers.add(compiler) });
      return userWebpack ? userWebpack(webpackConfig, context) : webpackConfig;
    },
  };
}

export function withButter<C extends object>(
  nextConfig: C | ConfigFunction<C> = {} as C,
  options: Options = {},
): ConfigFunction<C> {
  return async (phase, context) => {
    const config = (
      typeof nextConfig === 'function' ? await nextConfig(phase, context) : nextConfig
    ) as C & NextConfigParts;
    // Resolved once, here: what the sync, the watcher and the config extension all use.
    const resolved = resolveSnapshotOptions(withBasePath(options, config.basePath), process.env);
    if (SYNC_PHASES.has(phase)) await prepareResolved(phase, resolved, config.basePath);
    return extendConfig(config, resolved, phase === PHASE_DEV);
  };
}

/** Stops the dev watcher (tests). */
export async function stopNextWatch(): Promise<void> {
  await watcher?.close();
  watcher = undefined;
  delete process.env[WATCH_ENV];
}
