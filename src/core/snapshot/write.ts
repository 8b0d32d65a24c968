/**
 * Atomic snapshot writes: every file goes to a temporary sibling folder, which then replaces
 * the snapshot folder by rename. `<dir>/media/` (owned by the media stage) is moved across.
 * A failed or killed write leaves the previous snapshot in place; an unchanged one writes
 * nothing at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ButterError } from '../errors.ts';
import { hashText, toJsonText } from './hash.ts';
import { renderFiles, sortedRecord } from './layout.ts';
import {
  countContent,
  FORMAT_VERSION,
  type Manifest,
  optionsDigest,
  parseManifest,
  stableManifestText,
} from './manifest.ts';
import type { SnapshotContent, SyncFacts } from './model.ts';
import { isSafeExtraPath, paths } from './names.ts';

export interface WriteOptions {
  /** More files to store (relative paths outside the store's own folders), e.g. `types.lock.json`. */
  extraFiles?: Record<string, string>;
  /** The sync time recorded in the manifest. @default new Date() */
  now?: Date;
}

export interface WriteResult {
  changed: boolean;
  /** Files written (0 when unchanged). */
  files: number;
  bytes: number;
  manifest: Manifest;
}

const WRITE_BATCH = 64;

/** The folder a swap parks the previous snapshot in. */
export function previousFolder(dir: string): string {
  return `${dir}.previous`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finishes a swap a killed process left half done, and removes temporary folders of writers
 * that are no longer running.
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
  const prefix = `${basename(dir)}.tmp-`;
  let siblings: string[] = [];
  try {
    siblings = await readdir(dirname(dir));
  } catch {
    return;
  }
  for (const name of siblings) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await rm(join(dirname(dir), name), { recursive: true, force: true });
    }
  }
}

function buildFiles(
  content: SnapshotContent,
  extraFiles: Record<string, string> | undefined,
): Map<string, string> {
  const files = renderFiles(content);
  for (const [path, text] of Object.entries(extraFiles ?? {})) {
    if (!isSafeExtraPath(path) || files.has(path)) {
      throw new ButterError(`cannot store extra file ${JSON.stringify(path)} in the snapshot`, {
        code: 'SNAPSHOT',
        hint: 'Extra files need a relative path outside manifest.json, probes.json, locales/, blog/ and media/.',
      });
    }
    files.set(path, text);
  }
  return files;
}

async function readPreviousManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return parseManifest(await readFile(join(dir, paths.manifest), 'utf8'));
  } catch {
    return undefined;
  }
}

async function writeAll(root: string, files: [string, string][]): Promise<void> {
  const folders = new Set(files.map(([path]) => dirname(join(root, path))));
  for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
  for (let i = 0; i < files.length; i += WRITE_BATCH) {
    await Promise.all(
      files.slice(i, i + WRITE_BATCH).map(([path, text]) => writeFile(join(root, path), text)),
    );
  }
}

async function swap(dir: string, tmp: string): Promise<void> {
  const previous = previousFolder(dir);
  const hadSnapshot = await exists(dir);
  if (hadSnapshot) await rename(dir, previous);
  try {
    await rename(tmp, dir);
  } catch (error) {
    if (hadSnapshot) await rename(previous, dir);
    throw error;
  }
  if (hadSnapshot) {
    const media = join(previous, 'media');
    if (await exists(media)) await rename(media, join(dir, 'media'));
    await rm(previous, { recursive: true, force: true });
  }
}

/**
 * Writes `content` as the snapshot in `dir`. Returns `changed: false` without touching the disk
 * when the previous snapshot's manifest (sync time aside) is the same.
 */
export async function writeSnapshot(
  dir: string,
  content: SnapshotContent,
  facts: SyncFacts,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const files = buildFiles(content, options.extraFiles);
  const sorted = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    source: facts.source,
    levels: facts.levels,
    locales: content.locales.map((l) => l.locale),
    preview: facts.preview,
    optionsDigest: optionsDigest(content, facts),
    counts: countContent(content, sorted.length),
    hashes: sortedRecord(sorted.map(([path, text]): [string, string] => [path, hashText(text)])),
    syncedAt: (options.now ?? new Date()).toISOString(),
    discovered: {
      pageTypes: [...facts.discovered.pageTypes].sort(),
      collections: [...facts.discovered.collections].sort(),
    },
  };

  await recover(dir);
  const previous = await readPreviousManifest(dir);
  if (previous && stableManifestText(previous) === stableManifestText(manifest)) {
    return { changed: false, files: 0, bytes: 0, manifest: previous };
  }

  const manifestText = toJsonText(manifest);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(dir), { recursive: true });
    await writeAll(tmp, sorted);
    await writeFile(join(tmp, paths.manifest), manifestText);
    await swap(dir, tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw new ButterError(`could not write the snapshot to ${dir}`, {
      code: 'SNAPSHOT',
      hint: 'The previous snapshot was left as it was. Check the folder is writable and the disk has space.',
      cause: error,
    });
  }
  let bytes = Buffer.byteLength(manifestText);
  for (const [, text] of sorted) bytes += Buffer.byteLength(text);
  return { changed: true, files: sorted.length + 1, bytes, manifest };
}
