/**
 * The stages after the crawl that belong to other modules: media download/rewrite
 * (`src/core/media`) and type generation (`src/core/codegen`). Each runs only when enabled.
 * Types are inferred before the snapshot write (the widened `types.lock.json` is part of the
 * snapshot) and the declarations file is written after it. Both stages are imported only when
 * they run: type generation brings the TypeScript compiler (ts-morph), which a sync with
 * `types: false` should neither load nor hold in memory.
 */
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { TypeChange, TypesLock } from '../codegen/index.ts';
import { ButterError } from '../errors.ts';
import type { StagedContent } from '../model/content.ts';
import type { ResolvedOptions } from '../options.ts';
import { describeFsError, isFsError } from '../snapshot/files.ts';
import { sweepTempFiles } from '../temp-files.ts';
import { writeIfChanged } from '../toolkit/write-if-changed.ts';
import type { MediaStageReport, SyncEvent, TypesStageReport } from './types.ts';

export interface StageEnv {
  warn(message: string, topic?: string): void;
  emit(event: SyncEvent): void;
  /** Debug lines (each media retry), when the host shows them. */
  debug?(message: string): void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export async function runMedia(
  content: StagedContent,
  options: ResolvedOptions,
  env: StageEnv,
): Promise<{
  content: StagedContent;
  report?: MediaStageReport;
  extraFiles?: Record<string, string>;
  /** The media file names the content mentions (see `pruneUnusedMedia`). */
  used?: ReadonlySet<string>;
  /** The entities (and probe answers) whose media URLs were rewritten, in place. */
  rewritten?: ReadonlySet<object>;
}> {
  if (!options.media) return { content };
  const { describeMediaReport, describeMediaRetry, syncMedia } = await import('../media/index.ts');
  const { debug } = env;
  const result = await syncMedia(content, options, {
    inPlace: true,
    onWarning: (warning) => env.warn(warning.message, `media not downloaded: ${warning.url}`),
    onProgress: (done, total) => env.emit({ type: 'media', done, total }),
    ...(debug ? { onRetry: (retry) => debug(describeMediaRetry(retry)) } : {}),
    ...(env.fetch ? { fetch: env.fetch } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
  });
  const { report } = result;
  return {
    content: result.content,
    extraFiles: result.extraFiles,
    used: result.used,
    rewritten: result.rewritten,
    report: {
      files: report.files.size,
      downloaded: report.downloaded,
      cached: report.cached,
      failed: report.failed.length,
      bytes: report.bytes,
      summary: describeMediaReport(report),
      remote: Object.fromEntries([...result.remote].sort(([a], [b]) => (a < b ? -1 : 1))),
    },
  };
}

/**
 * After the snapshot is written: removes the media files its content no longer uses (`used`,
 * as `runMedia` found them; see `media/prune.ts`). Only a media folder inside the snapshot
 * folder belongs to this snapshot alone; one elsewhere (a shared public folder) may serve
 * another snapshot, the preview's, and is left as it is. Resolves to how many files went.
 */
export async function pruneUnusedMedia(
  used: ReadonlySet<string> | undefined,
  options: ResolvedOptions,
): Promise<number | undefined> {
  const inside = relative(options.out, options.mediaDir);
  if (!used || !options.media || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return undefined;
  }
  const { pruneMedia } = await import('../media/index.ts');
  return (await pruneMedia(options.mediaDir, () => used)).length;
}

/** Type inference before the snapshot write: the lock goes into the snapshot as an extra file. */
export interface InferredTypes {
  lock: TypesLock;
  changes: TypeChange[];
  extraFiles: Record<string, string>;
}

/**
 * Infers the types of `content`, widening the lock of the current snapshot. Breaking changes
 * are warnings, or (with `strict`) a failure before anything is written.
 */
export async function inferTypes(
  content: StagedContent,
  options: ResolvedOptions,
  env: { warn(message: string): void },
): Promise<InferredTypes | undefined> {
  if (options.types === false) return undefined;
  const { formatTypeChanges, inferSchema, readTypesLock, serializeLock, TYPES_LOCK_FILE } =
    await import('../codegen/index.ts');
  const previous = await readTypesLock(options.out);
  const { lock, changes } = inferSchema(content, {
    levels: options.levels,
    previous,
    mediaHosts: options.mediaHosts,
  });
  const breaking = changes.filter((c) => c.breaking);
  if (breaking.length > 0) {
    const list = formatTypeChanges(breaking)
      .map((line) => `    ${line}`)
      .join('\n');
    if (options.strict) {
      throw new ButterError(
        `the content changed the types in a way that breaks code using them:\n${list}`,
        {
          code: 'TYPES',
          hint: `Fix the content, or accept the change: sync once without --strict (or delete ${options.out}/${TYPES_LOCK_FILE}).`,
        },
      );
    }
    env.warn(`breaking type changes (code using the old types may stop compiling):\n${list}`);
  }
  return { lock, changes, extraFiles: { [TYPES_LOCK_FILE]: serializeLock(lock) } };
}

/** What `emitTypes` did, and how to undo it. */
export interface EmittedTypes {
  report?: TypesStageReport;
  /** Puts the previous declarations back (when they changed), e.g. after a failed swap. */
  restore(): Promise<void>;
}

/**
 * Emits the declarations file for the inferred lock: once the snapshot's temporary folder is
 * complete, just before it is swapped in (see `sync`). Sweeps the temporary files of killed
 * runs first. A failure is a `TYPES` error saying why, the file untouched.
 */
export async function emitTypes(
  inferred: InferredTypes | undefined,
  options: ResolvedOptions,
): Promise<EmittedTypes> {
  const unchanged = { restore: async () => {} };
  if (!inferred || options.types === false) return unchanged;
  const file = options.types;
  const { writeDeclarations } = await import('../codegen/index.ts');
  try {
    await sweepTempFiles(dirname(file), basename(file));
    const previous = await readFile(file, 'utf8').catch(() => undefined);
    const changed = await writeDeclarations(file, inferred.lock, {
      closedEnums: options.closedEnums,
    });
    const report = {
      file,
      changed,
      changes: inferred.changes.length,
      breaking: inferred.changes.filter((c) => c.breaking).length,
    };
    if (!changed) return { ...unchanged, report };
    const restore = async () => {
      if (previous === undefined) await rm(file, { force: true });
      else await writeIfChanged(file, previous);
    };
    return { report, restore };
  } catch (error) {
    if (!isFsError(error)) throw error;
    throw new ButterError(`could not write the types to ${file}: ${describeFsError(error)}.`, {
      code: 'TYPES',
      hint: 'Free space on the disk or make the folder writable, then sync again.',
      cause: error,
    });
  }
}
