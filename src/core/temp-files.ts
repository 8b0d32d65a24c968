/**
 * Temporary files named after the process that writes them (`<base>.<pid>-<random><suffix>`),
 * and sweeping those a killed process left: a file of a process that no longer runs is
 * removed at the next run, one of a live process (another sync, this one) is left alone.
 * Temporary folders of the snapshot store follow the same rule (`snapshot/swap.ts`).
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether process `pid` is running (one we may not signal still is). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temporary file in `dir` for `base`, named after this process. */
export function tempFile(dir: string, base: string, suffix = '.tmp'): string {
  return join(dir, `${base}.${process.pid}-${randomBytes(6).toString('hex')}${suffix}`);
}

/**
 * Names older versions gave temporary files (no process id): only one older than this can be
 * told from one being written right now.
 */
const UNNAMED_STALE_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files of `base` in `dir` (`tempFile`'s names) left by processes that no
 * longer run, and older versions' unnamed ones past an hour. Resolves to the names removed.
 */
export async function sweepTempFiles(
  dir: string,
  base: string,
  suffix = '.tmp',
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || !name.endsWith(suffix)) continue;
    const middle = name.slice(base.length + 1, name.length - suffix.length);
    const named = /^(\d+)-[0-9a-f]+$/.exec(middle);
    const path = join(dir, name);
    try {
      if (named) {
        const pid = Number(named[1]);
        if (pid === process.pid || isAlive(pid)) continue;
      } else if (
        !/^[0-9a-f]+$/.test(middle) ||
        now - (await stat(path)).mtimeMs < UNNAMED_STALE_MS
      ) {
        continue;
      }
      await rm(path, { force: true });
      removed.push(name);
    } catch {
      // Renamed or removed meanwhile.
    }
  }
  return removed;
}
