/**
 * The files of a snapshot being written (`StagedFiles`): hashed, then written to the temporary
 * folder or, when the previous snapshot holds the very same bytes, linked from it.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FolderWriter } from './files.ts';
import { hashText } from './hash.ts';
import { type ChunkFile, chunkFolder, type Member } from './layout.ts';
import { chunkFile } from './names.ts';

/**
 * Files of a snapshot being written: each one hashed, then written to the temporary folder
 * (created at the first file that differs from the previous snapshot) or remembered for a
 * link from the previous snapshot — once its bytes there have proved to be the new ones: a
 * damaged file (cut short, edited) is written again instead.
 */
export class StagedFiles {
  readonly tmp: string;
  /** Files of the previous snapshot → hash. */
  readonly previous: ReadonlyMap<string, string>;
  /** The previous snapshot's folder, where the files of `previous` are. */
  readonly previousDir: string;
  /** Chunk files of the previous snapshot → sha256 of their bytes (the manifest's `chunkHashes`). */
  readonly previousSha256: ReadonlyMap<string, string>;
  #writer: FolderWriter | undefined;
  /** Files to link from the previous snapshot (unchanged). */
  readonly reused: string[] = [];
  /** Files of the previous snapshot whose bytes were not what its manifest says: written anew. */
  readonly repaired: string[] = [];
  bytes = 0;
  files = 0;

  constructor(
    tmp: string,
    previous: ReadonlyMap<string, string>,
    previousDir: string,
    previousSha256: ReadonlyMap<string, string>,
  ) {
    this.tmp = tmp;
    this.previous = previous;
    this.previousDir = previousDir;
    this.previousSha256 = previousSha256;
  }

  /** Whether a file was written (the temporary folder exists). */
  get written(): boolean {
    return this.#writer !== undefined;
  }

  folder(): FolderWriter {
    this.#writer ??= new FolderWriter(this.tmp);
    return this.#writer;
  }

  /**
   * Stores one file (text, or its UTF-8 bytes); returns its hash (or the `digest` standing for
   * it) and the sha256 of its bytes (the hash, when no digest stands for it).
   */
  put(path: string, text: string | Uint8Array, digest?: string): { hash: string; sha256: string } {
    // Encoded once: hashed, and written as it is.
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    const sha256 = hashText(bytes);
    const hash = digest ?? sha256;
    this.files++;
    this.bytes += bytes.length;
    if (this.previous.get(path) !== hash) {
      this.folder().write(path, bytes);
    } else if (fileHolds(join(this.previousDir, path), bytes.length, sha256) !== undefined) {
      this.reused.push(path);
    } else {
      this.repaired.push(path);
      this.folder().write(path, bytes);
    }
    return { hash, sha256 };
  }

  /**
   * Stores a chunk file. One whose digest the previous snapshot records, and whose bytes there
   * still hash to what its manifest recorded for them, is kept without being rendered: the
   * digest identifies the members' texts, and so the rendered bytes. Otherwise as `put`.
   */
  putChunk(chunk: ChunkFile): { hash: string; sha256: string } {
    const { path, digest } = chunk;
    const recorded = this.previousSha256.get(path);
    if (this.previous.get(path) === digest && recorded !== undefined) {
      const bytes = fileHolds(join(this.previousDir, path), undefined, recorded);
      if (bytes !== undefined) {
        this.files++;
        this.bytes += bytes;
        this.reused.push(path);
        return { hash: digest, sha256: recorded };
      }
    }
    return this.put(path, chunk.render(), digest);
  }

  /**
   * Keeps a folder of the previous snapshot as it is, for entities known to be the very ones it
   * stores there (`chunks`: its chunk digests, `hashes`: its entities'): its chunk files are
   * linked without being rendered, hashed or read (reading the snapshot checked them). Returns
   * `undefined`, keeping nothing, when a chunk file is not there: then the folder is stored as
   * any other.
   */
  keepFolder(
    folder: string,
    chunks: readonly string[],
    hashes: [string, string][],
  ): StoredFolder | undefined {
    const sha256: string[] = [];
    let bytes = 0;
    for (const index of chunks.keys()) {
      const path = chunkFile(folder, index);
      const sum = this.previousSha256.get(path);
      const size = statSync(join(this.previousDir, path), { throwIfNoEntry: false })?.size;
      if (sum === undefined || size === undefined) return undefined;
      sha256.push(sum);
      bytes += size;
    }
    for (const index of chunks.keys()) this.reused.push(chunkFile(folder, index));
    this.files += chunks.length;
    this.bytes += bytes;
    return { folder, hashes, chunks: [...chunks], sha256 };
  }

  /** Stores a folder of entities as chunk files; returns the hashes for the manifest. */
  putFolder(folder: string, members: readonly Member[]): StoredFolder {
    const { hashes, files } = chunkFolder(folder, members);
    const digests: string[] = [];
    const sha256: string[] = [];
    for (const chunk of files) {
      const stored = this.putChunk(chunk);
      digests.push(stored.hash);
      sha256.push(stored.sha256);
    }
    return { folder, hashes, chunks: digests, sha256 };
  }
}

/** Reused for every file `fileHolds` reads: a re-sync reads the whole snapshot, file by file. */
let scratch = Buffer.alloc(0);

/**
 * The size of the file at `path` if it is `bytes` long (any length when `undefined`) and its
 * bytes hash to `sha256`, else `undefined` (a missing file too: it is restored when linking
 * finds it gone). Reading a file costs far less than creating one, which a link saves.
 */
function fileHolds(path: string, bytes: number | undefined, sha256: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (bytes !== undefined && size !== bytes) return undefined;
    if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 2 * scratch.length));
    const view = scratch.subarray(0, size);
    for (let read = 0; read < size; ) {
      const n = readSync(fd, view, read, size - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return hashText(view) === sha256 ? size : undefined;
  } finally {
    closeSync(fd);
  }
}

/** A folder as the manifest records it. */
export interface StoredFolder {
  folder: string;
  /** Logical entity path → hash. */
  hashes: [string, string][];
  /** Digest of each chunk file (see `ChunkedFolder`). */
  chunks: string[];
  /** sha256 of each chunk file's bytes. */
  sha256: string[];
}
