/**
 * `butter-sync types`: regenerate the declarations from the snapshot on disk, without the
 * network (and without needing a token).
 */
import { generateTypes } from '../codegen/index.ts';
import { typesOutsideProject } from '../codegen/types-in-project.ts';
import { ButterError } from '../errors.ts';
import type { SnapshotOptions } from '../options.ts';
import { readSnapshot } from '../snapshot/index.ts';
import { plural } from '../toolkit/format.ts';

export interface TypesReport {
  message: string;
  file: string;
  changed: boolean;
  changes: number;
  breaking: number;
  /** The project's tsconfig leaves the file out: how to fix it. */
  warning?: string;
}

export async function runTypesCommand(resolved: SnapshotOptions): Promise<TypesReport> {
  if (resolved.types === false) {
    throw new ButterError(
      'nothing to do: type generation is turned off (`types: false` / --no-types)',
      {
        code: 'TYPES',
      },
    );
  }
  let snapshot: Awaited<ReturnType<typeof readSnapshot>>;
  try {
    snapshot = await readSnapshot(resolved.out);
  } catch (error) {
    throw new ButterError(`no readable snapshot in ${resolved.out}`, {
      code: 'SNAPSHOT',
      hint: 'Run `butter-sync` first (or point --out / --config at the snapshot folder).',
      cause: error,
    });
  }
  const result = await generateTypes(snapshot.content, {
    levels: snapshot.manifest.levels,
    out: resolved.out,
    types: resolved.types,
    strict: resolved.strict,
    closedEnums: resolved.closedEnums,
    mediaHosts: resolved.mediaHosts,
  });
  const breaking = result.changes.filter((c) => c.breaking).length;
  const warning = await typesOutsideProject(result.file, resolved.root).catch(() => undefined);
  return {
    ...(warning ? { warning } : {}),
    message: `${result.changed ? 'wrote' : 'unchanged:'} ${result.file} (${plural(result.changes.length, 'type change')}${breaking > 0 ? `, ${breaking} breaking` : ''})`,
    file: result.file,
    changed: result.changed,
    changes: result.changes.length,
    breaking,
  };
}
