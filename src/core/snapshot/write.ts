/**
 * Atomic snapshot writes: every file goes to a temporary sibling folder, which then replaces
 * the snapshot folder by rename (`swap.ts`). `<dir>/media/` (owned by the media stage) is moved
 * across. A failed or killed write leaves the previous snapshot in place; an unchanged one
 * writes nothing at all.
 *
 * Entities are stored per folder (a listing) in chunk files (`chunkFolder`), rendered, hashed
 * and written one folder at a time, so the texts of the whole snapshot never sit in memory
 * together.
 * A file whose hash equals the previous manifest's is not written again but linked
 * from the previous snapshot once the pass has shown the snapshot changed; the temporary folder
 * is only created at the first file that differs, so an unchanged sync renders, hashes and
 * reads the files it keeps (to be sure they are intact), but writes nothing. A folder whose
 * entities the caller knows to be the previous snapshot's (`WriteOptions.unchanged`: a warm
 * sync's listings read from it) is not even rendered: its files are kept as they are.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ButterError } from '../errors.ts';
import type { EntityList, StagedContent, SyncFacts } from '../model/content.ts';
import { describeFsError, type FolderWriter, pacer } from './files.ts';
import { hashText, toJsonText } from './hash.ts';
import { chunkFolder, type Piece, renderPieces, sortedRecord } from './layout.ts';
import {
  countContent,
  FORMAT_VERSION,
  type Manifest,
  parseManifest,
  stableManifestText,
} from './manifest.ts';
import { chunkFile, isSafeExtraPath, paths, splitEntityPath } from './names.ts';
import { StagedFiles, type StoredFolder } from './staged.ts';
import { previousFolder, recover, siblingFolder, swap } from './swap.ts';

export { previousFolder };

export interface WriteOptions {
  /** More files to store (relative paths outside the store's own folders), e.g. `types.lock.json`. */
  extraFiles?: Record<string, string>;
  /** The sync time recorded in the manifest. @default new Date() */
  now?: Date;
  /**
   * Runs once every file is written, just before the swap (or before returning, when nothing
   * changed): what must be on disk no later than the snapshot (the declarations). If it
   * fails, the write is abandoned and its error is thrown as it is.
   */
  beforeSwap?: () => Promise<void>;
  /**
   * Entity lists known to be exactly what the previous snapshot stores in the folder they are
   * written to (a warm sync's listings taken from it unchanged): their chunk files are kept
   * without being rendered or hashed again.
   */
  unchanged?: ReadonlySet<EntityList>;
}

export interface WriteResult {
  changed: boolean;
  /** Files of the new snapshot, the manifest included (0 when unchanged). */
  files: number;
  /** Bytes of those files (0 when unchanged). */
  bytes: number;
  /** Of `files`, how many were linked from the previous snapshot instead of written. */
  reused: number;
  /**
   * Files of the previous snapshot that its manifest listed as unchanged but whose bytes were
   * not (cut short, edited): written again from the content.
   */
  repaired: string[];
  manifest: Manifest;
  /**
   * Settles once the previous snapshot's folder (renamed aside by the swap) is removed, which
   * happens in the background; the next write sweeps it up if this process ends first.
   */
  removed: Promise<void>;
}

/** Files on disk of a manifest's snapshot (chunk files and plain files) → their hash. */
function storedFiles(manifest: Manifest | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (!manifest) return files;
  for (const [folder, hashes] of Object.entries(manifest.chunks)) {
    for (const [index, hash] of hashes.entries()) files.set(chunkFile(folder, index), hash);
  }
  for (const [path, hash] of Object.entries(manifest.hashes)) {
    if (!Object.hasOwn(manifest.chunks, splitEntityPath(path)[0])) files.set(path, hash);
  }
  return files;
}

function* snapshotPieces(
  content: StagedContent,
  extraFiles: Record<string, string> | undefined,
): Generator<Piece> {
  yield* renderPieces(content);
  for (const [file, text] of Object.entries(extraFiles ?? {})) yield { file, text };
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

function optionsDigest(content: StagedContent, facts: SyncFacts): string {
  if (facts.optionsDigest) return facts.optionsDigest;
  return hashText(
    JSON.stringify({
      source: facts.source,
      levels: facts.levels,
      preview: facts.preview,
      locales: content.locales.map((l) => l.locale),
    }),
  ).slice(0, 16);
}

function buildManifest(
  content: StagedContent,
  facts: SyncFacts,
  hashes: [string, string][],
  folders: readonly StoredFolder[],
  files: number,
  now: Date,
): Manifest {
  const stored = folders.filter((f) => f.chunks.length > 0);
  return {
    formatVersion: FORMAT_VERSION,
    source: facts.source,
    levels: facts.levels,
    locales: content.locales.map((l) => l.locale),
    preview: facts.preview,
    optionsDigest: optionsDigest(content, facts),
    counts: countContent(content, files),
    hashes: sortedRecord(hashes),
    chunks: sortedRecord(stored.map((f): [string, string[]] => [f.folder, f.chunks])),
    chunkHashes: sortedRecord(
      stored.flatMap((f) =>
        f.sha256.map((sum, i): [string, string] => [chunkFile(f.folder, i), sum]),
      ),
    ),
    syncedAt: now.toISOString(),
    discovered: {
      pageTypes: [...facts.discovered.pageTypes].sort(),
      collections: [...facts.discovered.collections].sort(),
    },
  };
}

/**
 * Writes `content` as the snapshot in `dir`. Returns `changed: false` without writing anything
 * when the previous snapshot's manifest (sync time aside) is the same.
 */
export async function writeSnapshot(
  dir: string,
  content: StagedContent,
  facts: SyncFacts,
  options: WriteOptions = {},
): Promise<WriteResult> {
  checkExtraFiles(options.extraFiles);
  await recover(dir);
  const previous = await readPreviousManifest(dir);
  const staged = new StagedFiles(
    siblingFolder(dir, 'tmp'),
    storedFiles(previous),
    dir,
    new Map(Object.entries(previous?.chunkHashes ?? {})),
  );
  const folders: StoredFolder[] = [];
  const pace = pacer();
  const plainHashes: [string, string][] = [];
  let hookFailed = false;
  const beforeSwap = async () => {
    try {
      await options.beforeSwap?.();
    } catch (error) {
      hookFailed = true;
      throw error;
    }
  };
  const kept = keptFolders(previous, options.unchanged);
  try {
    for (const piece of snapshotPieces(content, options.extraFiles)) {
      if ('file' in piece) plainHashes.push([piece.file, staged.put(piece.file, piece.text).hash]);
      else {
        const stored = kept?.(piece.folder, piece.entities, staged);
        folders.push(stored ?? staged.putFolder(piece.folder, piece.members));
      }
      await pace();
    }
    const hashes = [...plainHashes, ...folders.flatMap((f) => f.hashes)];
    const now = options.now ?? new Date();
    const manifest = buildManifest(content, facts, hashes, folders, staged.files, now);
    if (
      !staged.written &&
      previous &&
      stableManifestText(previous) === stableManifestText(manifest)
    ) {
      await beforeSwap();
      return {
        changed: false,
        files: 0,
        bytes: 0,
        reused: 0,
        repaired: [],
        manifest: previous,
        removed: Promise.resolve(),
      };
    }
    const out = staged.folder();
    const missing = new Set<string>();
    for (const path of staged.reused) {
      try {
        out.reuse(join(dir, path), path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        missing.add(path);
      }
      await pace();
    }
    if (missing.size > 0) await restoreMissing(content, options.extraFiles, missing, out);
    const manifestText = toJsonText(manifest);
    out.write(paths.manifest, manifestText);
    await beforeSwap();
    const { removed } = await swap(dir, staged.tmp);
    return {
      changed: true,
      files: staged.files + 1,
      bytes: staged.bytes + Buffer.byteLength(manifestText),
      reused: staged.reused.length - missing.size,
      repaired: [...staged.repaired].sort(),
      manifest,
      removed,
    };
  } catch (error) {
    await rm(staged.tmp, { recursive: true, force: true }).catch(() => {});
    throw hookFailed ? error : writeFailure(dir, error);
  }
}

/**
 * Keeps, as `StagedFiles.keepFolder` does, a folder whose entities are one of the `unchanged`
 * lists and which the previous snapshot stores in chunk files; `undefined` when nothing can be.
 */
function keptFolders(
  previous: Manifest | undefined,
  unchanged: ReadonlySet<EntityList> | undefined,
) {
  if (!previous || !unchanged || unchanged.size === 0) return undefined;
  // The previous entities' hashes by folder, read once.
  const hashes = new Map<string, [string, string][]>();
  for (const [path, hash] of Object.entries(previous.hashes)) {
    const [folder] = splitEntityPath(path);
    if (!Object.hasOwn(previous.chunks, folder)) continue;
    const list = hashes.get(folder);
    if (list) list.push([path, hash]);
    else hashes.set(folder, [[path, hash]]);
  }
  return (folder: string, entities: EntityList, staged: StagedFiles) => {
    const chunks = Object.hasOwn(previous.chunks, folder) ? previous.chunks[folder] : undefined;
    if (!chunks || !unchanged.has(entities)) return undefined;
    return staged.keepFolder(folder, chunks, hashes.get(folder) ?? []);
  };
}

/** What a failed write of the snapshot in `dir` reports: `error` itself if it says enough. */
export function writeFailure(dir: string, error: unknown): ButterError {
  if (error instanceof ButterError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new ButterError(
    `could not write the snapshot to ${dir}: ${describeFsError(error, dirname(dir))}.`,
    {
      code: 'SNAPSHOT',
      hint:
        code === 'ENOSPC' || code === 'EDQUOT'
          ? 'Free space on the disk, then sync again.'
          : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
            ? `Make ${dirname(dir)} writable (the snapshot is written beside it, then renamed into place), then sync again.`
            : 'Check that the folder is writable and the disk has space, then sync again.',
      cause: error,
    },
  );
}

/** Renders again the files of the previous snapshot that went missing before they were linked. */
async function restoreMissing(
  content: StagedContent,
  extraFiles: Record<string, string> | undefined,
  missing: ReadonlySet<string>,
  out: FolderWriter,
): Promise<void> {
  const pace = pacer();
  for (const piece of snapshotPieces(content, extraFiles)) {
    if ('file' in piece) {
      if (missing.has(piece.file)) out.write(piece.file, piece.text);
    } else if ([...missing].some((path) => splitEntityPath(path)[0] === piece.folder)) {
      const { chunks } = chunkFolder(piece.folder, piece.members);
      for (const [path, text] of chunks) if (missing.has(path)) out.write(path, text);
    }
    await pace();
  }
}
