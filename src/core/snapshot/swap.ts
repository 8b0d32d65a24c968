/**
 * Swapping a written temporary folder in for the snapshot, and finishing (or rolling back) a
 * swap a killed process left half done. The previous snapshot is parked as `<dir>.previous`
 * during the two renames (readers fall back to it while `<dir>` is missing), then renamed to a
 * trash folder `<dir>.trash-<pid>-<random>` that is removed in the background: removing
 * thousands of files takes a while the caller need not wait for. `recover` sweeps trash and temporary
 * folders of writers that are no longer running.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isAlive } from '../temp-files.ts';

/** The folder a swap parks the previous snapshot in. */
export function previousFolder(dir: string): string {
  return `${dir}.previous`;
}

/** A sibling of `dir` named after this process, e.g. for the temporary folder. */
export function siblingFolder(dir: string, kind: 'tmp' | 'trash'): string {
  return `${dir}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Trash folders this process is removing right now. */
const removing = new Set<string>();

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function removeInBackground(folder: string): Promise<void> {
  removing.add(folder);
  return rm(folder, { recursive: true, force: true })
    .catch(() => {})
    .finally(() => removing.delete(folder));
}

/**
 * Finishes a swap a killed process left half done, and removes temporary and trash folders of
 * writers that are no longer running.
 */
export async function recover(dir: string): Promise<void> {
  const previous = previousFolder(dir);
  if (await exists(previous)) {
    if (!(await exists(dir))) {
      await rename(previous, dir);
    } else {
      const media = join(previous, 'media');
      if ((await exists(media)) && !(await exists(join(dir, 'media')))) {
        await rename(media, join(dir, 'media'));
      }
      await rm(previous, { recursive: true, force: true });
    }
  }
  const parent = dirname(dir);
  let siblings: string[] = [];
  try {
    siblings = await readdir(parent);
  } catch {
    return;
  }
  for (const kind of ['tmp', 'trash']) {
    const prefix = `${basename(dir)}.${kind}-`;
    for (const name of siblings) {
      if (!name.startsWith(prefix)) continue;
      const path = join(parent, name);
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (!Number.isInteger(pid) || removing.has(path)) continue;
      const stale = pid === process.pid ? kind === 'trash' : !isAlive(pid);
      if (stale) await rm(path, { recursive: true, force: true });
    }
  }
}

/**
 * Renames `tmp` to `dir`, carrying `media/` over. Resolves once `dir` is the new snapshot, to a
 * promise that settles when the previous one's files are gone.
 */
export async function swap(dir: string, tmp: string): Promise<{ removed: Promise<void> }> {
  const previous = previousFolder(dir);
  const hadSnapshot = await exists(dir);
  if (hadSnapshot) await rename(dir, previous);
  try {
    await rename(tmp, dir);
  } catch (error) {
    if (hadSnapshot) await rename(previous, dir);
    throw error;
  }
  if (!hadSnapshot) return { removed: Promise.resolve() };
  const media = join(previous, 'media');
  if (await exists(media)) await rename(media, join(dir, 'media'));
  const trash = siblingFolder(dir, 'trash');
  try {
    await rename(previous, trash);
  } catch {
    await rm(previous, { recursive: true, force: true });
    return { removed: Promise.resolve() };
  }
  return { removed: removeInBackground(trash) };
}
