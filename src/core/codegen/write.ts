import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseLock, serializeLock, TYPES_LOCK_FILE } from './lock.ts';
import type { TypesLock } from './model.ts';

/**
 * Writes `source` to `file` unless the file already holds exactly these bytes; atomic (a
 * temporary sibling renamed into place). Returns whether the file changed.
 */
export async function writeTypes(file: string, source: string): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === source) return false;
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, source, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}

/** The lock saved in the snapshot folder `dir`, or `undefined` (none, unreadable or outdated). */
export async function readTypesLock(dir: string): Promise<TypesLock | undefined> {
  const text = await readFile(join(dir, TYPES_LOCK_FILE), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseLock(text);
}

/** Saves the lock in the snapshot folder `dir` (only if it changed). */
export async function writeTypesLock(dir: string, lock: TypesLock): Promise<boolean> {
  return writeTypes(join(dir, TYPES_LOCK_FILE), serializeLock(lock));
}
