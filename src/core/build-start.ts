/**
 * Build start, for every integration and `butter-sync`: make sure a snapshot is there. Reuse it
 * when it is younger than `maxAge`, else sync; when the API cannot be reached (or there is no
 * token) and `offline` is `'fallback'`, go on with the existing snapshot and say how old it is.
 * No snapshot and no API is a clear error. Once the declarations file is there, warn if the
 * project's tsconfig leaves it out (once per build or `butter-sync` run; watch refreshes do not
 * check again).
 */
import { access } from 'node:fs/promises';
import { TYPES_OUTSIDE_PROJECT, typesOutsideProject } from './codegen/types-in-project.ts';
import { ButterError } from './errors.ts';
import { missingToken, requireToken, type SnapshotOptions } from './options.ts';
import { type Manifest, readManifest, readSnapshot } from './snapshot/index.ts';
import { formatSummary, syncResolved } from './sync/index.ts';
import type { SyncHooks, SyncResult } from './sync/types.ts';
import { ageOf } from './toolkit/age.ts';
import { describeAge } from './toolkit/format.ts';
import type { Logger } from './toolkit/log.ts';

/** Failures that mean "the API cannot be reached", as opposed to a misconfiguration. */
const UNREACHABLE = new Set(['NETWORK', 'TIMEOUT', 'SERVER', 'QUOTA']);

export interface PreparedSnapshot {
  /** The options it was prepared with. */
  options: SnapshotOptions;
  /** Absolute snapshot folder. */
  out: string;
  manifest: Manifest;
  /** `synced`: a sync ran; `reused`: younger than `maxAge`; `offline`: the API failed. */
  source: 'synced' | 'reused' | 'offline';
  /** The sync's report when one ran. */
  result?: SyncResult;
  /** Age of the snapshot when it was taken, ms. */
  ageMs: number;
}

export interface PrepareHooks extends Omit<SyncHooks, 'logger' | 'env'> {
  log: Logger;
  /** Tells how a sync went. @default its one-line summary, on `log.info` */
  report?(result: SyncResult): void;
  /** @default Date.now */
  now?: () => number;
}

export async function prepareSnapshot(
  options: SnapshotOptions,
  hooks: PrepareHooks,
): Promise<PreparedSnapshot> {
  const prepared = await prepare(options, hooks);
  await warnIfTypesOutsideProject(prepared.options, hooks.log);
  return prepared;
}

async function prepare(resolved: SnapshotOptions, hooks: PrepareHooks): Promise<PreparedSnapshot> {
  const now = hooks.now ?? Date.now;
  const existing = await readManifest(resolved.out);
  const age = existing ? ageOf(existing.syncedAt, now()) : Number.POSITIVE_INFINITY;

  if (existing && resolved.maxAge > 0 && age < resolved.maxAge) {
    hooks.log.info(`using the snapshot synced ${describeAge(age)} ago (maxAge)`);
    await ensureTypes(resolved, hooks.log);
    return {
      options: resolved,
      out: resolved.out,
      manifest: existing,
      source: 'reused',
      ageMs: age,
    };
  }

  // Without a token a snapshot is all a build can use: say what to set when there is none.
  const tokenError = resolved.token === undefined ? missingToken() : undefined;
  let failure: unknown = tokenError;
  if (!tokenError) {
    try {
      const { log, now: _now, report, ...syncHooks } = hooks;
      const result = await syncResolved(requireToken(resolved), { ...syncHooks, logger: log });
      if (report) report(result);
      else hooks.log.info(formatSummary(result));
      const { out, manifest } = result;
      return { options: resolved, out, manifest, source: 'synced', result, ageMs: 0 };
    } catch (error) {
      if (!(error instanceof ButterError) || !UNREACHABLE.has(error.code)) throw error;
      failure = error;
    }
  }

  // What failed, not what the sync left on disk (this says that itself).
  const reason =
    failure instanceof ButterError
      ? failure.summary
      : failure instanceof Error
        ? failure.message.replace(/^\[buttercms\] /, '')
        : '';
  const why = reason.split('\n')[0];
  if (!existing) {
    // Without a token there was nothing to try: say what to set, as a sync would.
    if (tokenError) throw tokenError;
    throw new ButterError(
      `cannot sync ButterCMS content (${why}), and there is no snapshot to fall back on in ${resolved.out}`,
      {
        code: 'SNAPSHOT',
        hint: `${failure instanceof ButterError && failure.hint ? failure.hint : 'Check the network and the API URL.'} Or sync once where the API is reachable (\`butter-sync\`) and keep that snapshot.`,
        cause: failure,
      },
    );
  }
  if (resolved.offline === 'error') {
    throw new ButterError(
      `cannot sync ButterCMS content (${why}), and \`offline\` is 'error': no fallback on the snapshot`,
      {
        code: 'SNAPSHOT',
        hint: "Set `offline: 'fallback'` (--offline fallback) to go on with the existing snapshot when the API is unreachable.",
        cause: failure,
      },
    );
  }
  await ensureTypes(resolved, hooks.log);
  hooks.log.warn(
    `${tokenError ? 'cannot sync' : 'API unreachable'} (${why}): going on with the snapshot synced ${describeAge(age)} ago (${existing.syncedAt})`,
  );
  return {
    options: resolved,
    out: resolved.out,
    manifest: existing,
    source: 'offline',
    ageMs: age,
  };
}

/**
 * A reused snapshot may come without its declarations (a committed snapshot, an ignored
 * `buttercms.d.ts`), or with declarations of other content (a sync killed after writing them,
 * before swapping its snapshot in): they must be those of the snapshot's `types.lock.json`,
 * which their stamp tells (`writeDeclarations` emits only when it does not match). Without a
 * lock (a snapshot synced without types) a missing file is generated from the content.
 */
async function ensureTypes(options: SnapshotOptions, log: Logger): Promise<void> {
  if (options.types === false) return;
  const { generateTypes, readTypesLock, writeDeclarations } = await import('./codegen/index.ts');
  const lock = await readTypesLock(options.out);
  if (lock) {
    if (await writeDeclarations(options.types, lock, { closedEnums: options.closedEnums })) {
      log.info(`wrote ${options.types} from the snapshot's types.lock.json`);
    }
    return;
  }
  try {
    await access(options.types);
    return;
  } catch {}
  const { content, manifest } = await readSnapshot(options.out);
  await generateTypes(content, {
    out: options.out,
    types: options.types,
    levels: manifest.levels,
    mediaHosts: options.mediaHosts,
    closedEnums: options.closedEnums,
  });
  log.info(`generated ${options.types} from the snapshot`);
}

/**
 * Says how to fix a tsconfig that leaves the declarations out (they would be silently ignored).
 * The check never fails a build: whatever goes wrong in it, the build goes on without a word.
 */
async function warnIfTypesOutsideProject(options: SnapshotOptions, log: Logger): Promise<void> {
  if (options.types === false) return;
  const warning = await typesOutsideProject(options.types, options.root).catch(() => undefined);
  if (warning) log.warn(warning, TYPES_OUTSIDE_PROJECT);
}
