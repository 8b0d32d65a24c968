/**
 * Atomic snapshot writes: every file goes to a temporary sibling folder, which then replaces
 * the snapshot folder by rename (`swap.ts`). `<dir>/media/` (owned by the media stage) is moved
 * across. A failed or killed write leaves the previous snapshot in place; an unchanged one
 * writes nothing at all.
 *
 * Files are rendered, hashed and written one at a time, so their texts never sit in memory
 * together. A file whose hash equals the previous manifest's is not written again but linked
 * from the previous snapshot once the pass has shown the snapshot changed; the temporary folder
 * is only created at the first file that differs, so an unchanged sync renders and hashes but
 * never touches the disk.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ButterError } from '../errors.ts';
import { FolderWriter, pacer } from './files.ts';
import { hashText, toJsonText } from './hash.ts';
import { type FileEntry, renderFiles, sortedRecord } from './layout.ts';
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
import { previousFolder, recover, siblingFolder, swap } from './swap.ts';

export { previousFolder, recover };

export interface WriteOptions {
  /** More files to store (relative paths outside the store's own folders), e.g. `types.lock.json`. */
  extraFiles?: Record<string, string>;
  /** The sync time recorded in the manifest. @default new Date() */
  now?: Date;
}

export interface WriteResult {
  changed: boolean;
  /** Files of the new snapshot, the manifest included (0 when unchanged). */
  files: number;
  /** Bytes of those files (0 when unchanged). */
  bytes: number;
  /** Of `files`, how many were linked from the previous snapshot instead of written. */
  reused: number;
  manifest: Manifest;
  /**
   * Settles once the previous snapshot's folder (renamed aside by the swap) is removed, which
   * happens in the background; the next write sweeps it up if this process ends first.
   */
  removed: Promise<void>;
}

function* snapshotFiles(
  content: SnapshotContent,
  extraFiles: Record<string, string> | undefined,
): Generator<FileEntry> {
  yield* renderFiles(content);
  yield* Object.entries(extraFiles ?? {});
}

function checkExtraFiles(extraFiles: Record<string, string> | undefined): void {
  for (const path of Object.keys(extraFiles ?? {})) {
    if (!isSafeExtraPath(path)) {
      throw new ButterError(`cannot store extra file ${JSON.stringify(path)} in the snapshot`, {
        code: 'SNAPSHOT',
        hint: 'Extra files need a relative path outside manifest.json, probes.json, locales/, blog/ and media/.',
      });
    }
  }
}

async function readPreviousManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return parseManifest(await readFile(join(dir, paths.manifest), 'utf8'));
  } catch {
    return undefined;
  }
}

function buildManifest(
  content: SnapshotContent,
  facts: SyncFacts,
  hashes: [string, string][],
  now: Date,
): Manifest {
  return {
    formatVersion: FORMAT_VERSION,
    source: facts.source,
    levels: facts.levels,
    locales: content.locales.map((l) => l.locale),
    preview: facts.preview,
    optionsDigest: optionsDigest(content, facts),
    counts: countContent(content, hashes.length),
    hashes: sortedRecord(hashes),
    syncedAt: now.toISOString(),
    discovered: {
      pageTypes: [...facts.discovered.pageTypes].sort(),
      collections: [...facts.discovered.collections].sort(),
    },
  };
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
  checkExtraFiles(options.extraFiles);
  await recover(dir);
  const previous = await readPreviousManifest(dir);
  const before = previous?.hashes;
  const tmp = siblingFolder(dir, 'tmp');
  const pace = pacer();
  let writer: FolderWriter | undefined;
  const start = () => {
    writer ??= new FolderWriter(tmp);
    return writer;
  };
  const hashes: [string, string][] = [];
  const reused: string[] = [];
  let bytes = 0;
  try {
    for (const [path, text] of snapshotFiles(content, options.extraFiles)) {
      const hash = hashText(text);
      hashes.push([path, hash]);
      bytes += Buffer.byteLength(text);
      if (before && Object.hasOwn(before, path) && before[path] === hash) reused.push(path);
      else start().write(path, text);
      await pace();
    }
    const manifest = buildManifest(content, facts, hashes, options.now ?? new Date());
    if (!writer && previous && stableManifestText(previous) === stableManifestText(manifest)) {
      return {
        changed: false,
        files: 0,
        bytes: 0,
        reused: 0,
        manifest: previous,
        removed: Promise.resolve(),
      };
    }
    const out = start();
    const missing = new Set<string>();
    for (const path of reused) {
      try {
        out.reuse(join(dir, path), path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        missing.add(path);
      }
      await pace();
    }
    // A file of the previous snapshot went missing: render it again.
    if (missing.size > 0) {
      for (const [path, text] of snapshotFiles(content, options.extraFiles)) {
        if (missing.has(path)) out.write(path, text);
        await pace();
      }
    }
    const manifestText = toJsonText(manifest);
    out.write(paths.manifest, manifestText);
    const { removed } = await swap(dir, tmp);
    bytes += Buffer.byteLength(manifestText);
    const files = hashes.length + 1;
    return { changed: true, files, bytes, reused: reused.length - missing.size, manifest, removed };
  } catch (error) {
    if (writer) await rm(tmp, { recursive: true, force: true }).catch(() => {});
    if (error instanceof ButterError) throw error;
    throw new ButterError(`could not write the snapshot to ${dir}`, {
      code: 'SNAPSHOT',
      hint: 'The previous snapshot was left as it was. Check the folder is writable and the disk has space.',
      cause: error,
    });
  }
}
