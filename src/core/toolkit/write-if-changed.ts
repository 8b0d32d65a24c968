import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { tempFile } from '../temp-files.ts';

/**
 * Writes `text` to `file` unless the file already holds exactly these bytes, so an unchanged
 * file keeps its time (watchers and builds see no change). Atomic: a temporary sibling named
 * after `tempBase` (what `sweepTempFiles` later looks for) renamed into place. Returns whether
 * the file changed.
 */
export async function writeIfChanged(
  file: string,
  text: string,
  tempBase = basename(file),
): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await mkdir(dirname(file), { recursive: true });
  const temp = tempFile(dirname(file), tempBase);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}
