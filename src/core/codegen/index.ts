/**
 * Type inference and TypeScript codegen: the schema of every page type, single page,
 * collection, component and blog type is inferred from all the samples in the snapshot,
 * widened into `types.lock.json`, and emitted as one declarations file that augments the
 * reader's lookup interfaces.
 *
 *   inferSchema (pure) → writeDeclarations (emitDeclarations with json-schema-to-typescript +
 *   ts-morph, skipped when the file already holds them)
 */
import { ButterError } from '../errors.ts';
import type { StagedContent } from '../model/content.ts';
import { diffLocks, formatTypeChanges } from './diff.ts';
import { inferContent } from './infer/index.ts';
import { canonicalLock, TYPES_LOCK_FILE } from './lock.ts';
import { widenLock } from './merge.ts';
import type { TypeChange, TypesLock } from './model.ts';
import { assignNames } from './names.ts';
import { readTypesLock, writeDeclarations, writeTypesLock } from './write.ts';

export { describeTypeChanges, formatTypeChanges } from './diff.ts';
export { emitDeclarations } from './emit.ts';
export { parseLock, serializeLock, TYPES_LOCK_FILE } from './lock.ts';
export type { TypeChange, TypeChangeKind, TypesLock } from './model.ts';
export { readTypesLock, writeDeclarations, writeTypesLock } from './write.ts';

export interface InferSchemaOptions {
  /** Reference depth of the snapshot. */
  levels: number;
  /** The lock of the previous sync: the result widens it and keeps its names. */
  previous?: TypesLock | undefined;
  /** Hosts whose URLs are media. @default DEFAULT_MEDIA_HOSTS */
  mediaHosts?: readonly string[];
}

/** Infers the lock for `content`, widening `previous`, and lists what changed (pure). */
export function inferSchema(
  content: StagedContent,
  options: InferSchemaOptions,
): { lock: TypesLock; changes: TypeChange[] } {
  const current = inferContent(content, options);
  const lock = canonicalLock(assignNames(widenLock(options.previous, current)));
  return { lock, changes: diffLocks(options.previous, lock) };
}

/**
 * Throws a `ButterError` (code `TYPES`) listing the breaking changes, if any: what `--strict`
 * does. Call it before writing anything, so a failing sync leaves the old snapshot and types.
 */
export function assertNoBreakingChanges(changes: readonly TypeChange[], out?: string): void {
  const breaking = changes.filter((c) => c.breaking);
  if (breaking.length === 0) return;
  const lines = formatTypeChanges(breaking).map((line) => `    ${line}`);
  const lock = out === undefined ? TYPES_LOCK_FILE : `${out}/${TYPES_LOCK_FILE}`;
  throw new ButterError(
    `the content changed the types in a way that breaks code using them:\n${lines.join('\n')}`,
    {
      code: 'TYPES',
      hint: `Fix the content, or accept the change by syncing once without --strict (or by deleting ${lock}).`,
    },
  );
}

export interface GenerateTypesOptions extends InferSchemaOptions {
  /** Snapshot folder: `types.lock.json` is read from and written to it. */
  out: string;
  /** Absolute path of the declarations file. */
  types: string;
  /** Breaking changes (a field removed or narrowed) throw instead of being written. */
  strict?: boolean;
  /** Emit dropdown-like values as closed literal unions. @default false */
  closedEnums?: boolean;
}

export interface GenerateTypesResult {
  /** Whether the declarations file was (re)written. */
  changed: boolean;
  changes: TypeChange[];
  file: string;
  lock: TypesLock;
}

/**
 * Infers, emits and writes the types of a snapshot: what the sync runs after every sync and
 * `butter-sync types` runs on an existing snapshot. The previous lock is read from `out`
 * unless given. With `strict`, breaking changes throw a `ButterError` (code `TYPES`) and
 * nothing is written.
 */
export async function generateTypes(
  content: StagedContent,
  options: GenerateTypesOptions,
): Promise<GenerateTypesResult> {
  const previous = options.previous ?? (await readTypesLock(options.out));
  const { lock, changes } = inferSchema(content, { ...options, previous });
  if (options.strict) assertNoBreakingChanges(changes, options.out);
  const changed = await writeDeclarations(
    options.types,
    lock,
    options.closedEnums === undefined ? {} : { closedEnums: options.closedEnums },
  );
  await writeTypesLock(options.out, lock);
  return { changed, changes, file: options.types, lock };
}
