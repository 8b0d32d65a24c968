/**
 * The end of a sync: the snapshot and the declarations go in together. The declarations are
 * written once the snapshot's temporary folder is complete, just before the swap, so a process
 * killed between the two renames leaves them ahead of the content, never behind it (the next
 * sync, or a build reusing the snapshot, writes them again from the snapshot's lock: their
 * stamp no longer matches). If the swap fails they are put back. A failure of the sync says
 * what it left on disk (`tellOutcome`).
 */
import { ButterError } from '../errors.ts';
import type { StagedContent, SyncFacts } from '../model/content.ts';
import type { ResolvedOptions } from '../options.ts';
import { describeFsError } from '../snapshot/files.ts';
import {
  readManifest,
  type WriteOptions,
  type WriteResult,
  writeSnapshot,
} from '../snapshot/index.ts';
import { ageOf } from '../toolkit/age.ts';
import { describeAge } from '../toolkit/format.ts';
import { type EmittedTypes, emitTypes, type InferredTypes } from './stages.ts';

export interface Committed {
  written: WriteResult;
  types: EmittedTypes;
  /** Milliseconds spent emitting the declarations. */
  typesMs: number;
}

/** Writes the snapshot and, just before it is swapped in, the declarations (see above). */
export async function commitSnapshot(
  options: ResolvedOptions,
  content: StagedContent,
  facts: SyncFacts,
  writeOptions: WriteOptions,
  inferred: InferredTypes | undefined,
): Promise<Committed> {
  let types: EmittedTypes | undefined;
  let typesMs = 0;
  try {
    const written = await writeSnapshot(options.out, content, facts, {
      ...writeOptions,
      beforeSwap: async () => {
        const started = performance.now();
        types = await emitTypes(inferred, options);
        typesMs = performance.now() - started;
      },
    });
    return { written, types: types ?? { restore: async () => {} }, typesMs };
  } catch (error) {
    // The swap failed after the declarations were written: they go back to what they were.
    if (types?.report?.changed === true && options.types !== false) {
      try {
        await types.restore();
      } catch (restoreError) {
        if (!(error instanceof ButterError)) throw error;
        error.tellOutcome(
          `The previous snapshot is untouched, but ${options.types} already describes the new content and could not be put back (${describeFsError(restoreError)}): run \`butter-sync types\` to write it again from the snapshot.`,
        );
      }
    }
    throw error;
  }
}

/**
 * Adds to the error of a failed sync what is on disk now, unless it says so already: the
 * previous snapshot (and declarations) untouched. Without a previous snapshot nothing was
 * written, which goes without saying.
 */
export async function tellOutcome(error: ButterError, options: ResolvedOptions): Promise<void> {
  if (error.outcome !== undefined) return;
  const manifest = await readManifest(options.out).catch(() => undefined);
  if (!manifest) return;
  const age = describeAge(ageOf(manifest.syncedAt, Date.now()));
  const snapshot = `The snapshot in ${options.out} (synced ${age} ago)`;
  error.tellOutcome(
    options.types === false
      ? `${snapshot} is untouched.`
      : `${snapshot} and ${options.types} are untouched.`,
  );
}
