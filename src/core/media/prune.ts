/**
 * Removing media files the content no longer uses. The media folder is a cache that only ever
 * grew: a deleted post's images stayed on disk, in the snapshot folder and in every build
 * (which ships the whole folder). After a sync has written its snapshot, the files the new
 * content does not name are removed, with their manifest entries.
 *
 * Which files are used is read from the content itself, not from this run's downloads: a
 * partial refresh keeps the rest of the snapshot as stored, already rewritten to local paths.
 * A file counts as used when its name (128 bits of its hash) appears in any string, as a whole
 * value or inside HTML; that can keep a file too many, never one too few.
 */

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isHeldList } from '../model/entity-list.ts';
import { readManifest, writeManifest } from './manifest.ts';
import { findMediaFileNames, isMediaFileName } from './names.ts';

/**
 * Every media file name some string in `value` mentions. In a spooled listing its entities'
 * stored texts are searched, unparsed: JSON never escapes a character of a name (hex digits, a
 * dot, an extension), so every name a string holds is in the text as it is (and a key that
 * looks like one counts too: a file kept, never one lost).
 */
export function mentionedMediaFiles(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    findMediaFileNames(value, into);
  } else if (isHeldList(value) && value.text) {
    for (let index = 0; index < value.length; index++) findMediaFileNames(value.text(index), into);
  } else if (Array.isArray(value) || isHeldList(value)) {
    for (const item of value) mentionedMediaFiles(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) mentionedMediaFiles(child, into);
  }
  return into;
}

/**
 * Removes from `dir` the media files (names this module makes; nothing else is touched) not
 * `used`, and their manifest entries. Resolves to the names removed, sorted. `used` is only
 * asked for when `dir` holds media files (finding them reads every string of the content).
 */
export async function pruneMedia(
  dir: string,
  usedFiles: () => ReadonlySet<string>,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter(isMediaFileName);
  if (files.length === 0) return [];
  const used = usedFiles();
  const unused = files.filter((name) => !used.has(name)).sort();
  if (unused.length === 0) return [];
  const manifest = await readManifest(dir);
  for (const [url, entry] of manifest) if (!used.has(entry.file)) manifest.delete(url);
  // The manifest first: an entry never names a file that is gone.
  await writeManifest(dir, manifest);
  for (const name of unused) await rm(join(dir, name), { force: true });
  return unused;
}
