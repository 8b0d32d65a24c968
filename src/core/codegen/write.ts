import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashText } from '../snapshot/hash.ts';
import { writeIfChanged } from '../toolkit/write-if-changed.ts';
import { EMITTER_VERSION, type EmitOptions, emitDeclarations } from './emit.ts';
import { parseLock, serializeLock, TYPES_LOCK_FILE } from './lock.ts';
import type { TypesLock } from './model.ts';

const STAMP = '// buttercms-types';
const digest = (text: string) => hashText(text).slice(0, 32);

/**
 * Writes the declarations of `lock` to `file`, unless the file already holds them: its first
 * line stamps what it was emitted from (emitter version, options, lock) and a digest of the
 * rest, so an unchanged lock costs a read instead of loading the TypeScript compiler and
 * emitting, and a hand-edited file is emitted again. Returns
 * whether the file changed.
 */
export async function writeDeclarations(
  file: string,
  lock: TypesLock,
  options: EmitOptions = {},
): Promise<boolean> {
  const inputs = digest(JSON.stringify([EMITTER_VERSION, options, serializeLock(lock)]));
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== undefined && stampedFrom(current) === inputs) return false;
  const source = await emitDeclarations(lock, options);
  return writeIfChanged(file, `${STAMP} ${inputs} ${digest(source)}\n${source}`);
}

/** The inputs digest a declarations file was stamped with, if its body is intact. */
function stampedFrom(text: string): string | undefined {
  const end = text.indexOf('\n');
  if (!text.startsWith(`${STAMP} `) || end < 0) return undefined;
  const [inputs, body] = text.slice(STAMP.length + 1, end).split(' ');
  return body !== undefined && digest(text.slice(end + 1)) === body ? inputs : undefined;
}

/** The lock saved in the snapshot folder `dir`, or `undefined` (none, unreadable or outdated). */
export async function readTypesLock(dir: string): Promise<TypesLock | undefined> {
  const text = await readFile(join(dir, TYPES_LOCK_FILE), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseLock(text);
}

/** Saves the lock in the snapshot folder `dir` (only if it changed). */
export async function writeTypesLock(dir: string, lock: TypesLock): Promise<boolean> {
  return writeIfChanged(join(dir, TYPES_LOCK_FILE), serializeLock(lock));
}
