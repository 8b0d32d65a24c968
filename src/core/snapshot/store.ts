/**
 * A snapshot's entities read through one memory budget (what is kept, and the policy:
 * `kept.ts`). Each entity the reader asks for has a `Cell`: its parsed value while the cache
 * keeps it, so a hit is a field read. A chunk file is read whole the first time one of its
 * entities is asked for; its line index (where each entity's text is) is kept, and when the
 * budget has room every entity of the chunk is parsed and kept at once — a snapshot read whole
 * then reads and parses each file once, as the bound does. An entity the cache did not keep is
 * read again alone (`readRange`) while its chunk's line index is kept, else with its chunk
 * file. No Node built-ins (browsers run it too).
 */
import {
  type ChunkContent,
  damaged,
  type FileData,
  parseJson,
  readChunk,
  type SnapshotFiles,
  textOf,
} from './chunked.ts';
import { Cell, Chunk, type Folder, StoreCache } from './kept.ts';
import type { Manifest } from './manifest.ts';
import { chunkFile, chunkOf, splitEntityPath } from './names.ts';

export type { Cell };

/** Entities of one chunk read one by one (`readRange`) rather than by reading the chunk again. */
const RANGE_READS = 8;

/** What `openStore` keeps when no budget is given: room for everything. */
export const UNBOUNDED = Number.POSITIVE_INFINITY;

/** Reading entities and files of one snapshot, with a cache of `cacheBytes` at most. */
export interface SnapshotStore {
  location: string;
  manifest: Manifest;
  /** The cell of the entity `name` (escaped) of `folder`, whether or not it exists. */
  cell(folder: string, name: string): Cell;
  /**
   * The entities of `cells`, parsed, in order (`undefined` for one the snapshot lacks). A value
   * the cache keeps is shared by every caller: never change it.
   */
  values(cells: readonly Cell[]): Promise<unknown[]>;
  /** One entity by logical path, as `values`. */
  readEntity(path: string): Promise<unknown>;
  /** A plain file (an index, the profile…) parsed, not cached; an entity's path as `readEntity`. */
  readJson(path: string): Promise<unknown>;
  /** The stored text of an entity or a plain file (for modules that embed it). */
  readText(path: string): Promise<string | undefined>;
  /** Every entity of a folder, by escaped name (each chunk file read once, nothing cached). */
  readFolder(folder: string): Promise<Map<string, unknown>>;
  /**
   * Calls `visit` with every entity of a folder (escaped name, parsed value), a chunk file at a
   * time, nothing cached: what holds only a digest of each entity never holds them all.
   */
  scanFolder(folder: string, visit: (name: string, value: unknown) => void): Promise<void>;
  /** As `scanFolder`, with each entity's stored text, not parsed. */
  scanTexts(folder: string, visit: (name: string, text: string) => void): Promise<void>;
}

export function openStore(files: SnapshotFiles, cacheBytes: number = UNBOUNDED): SnapshotStore {
  const { location, manifest } = files;
  const kept = new StoreCache(cacheBytes);
  const folders = new Map<string, Folder>();

  const folderOf = (path: string): Folder => {
    let folder = folders.get(path);
    if (!folder) {
      const stored = Object.hasOwn(manifest.chunks, path) ? manifest.chunks[path] : undefined;
      const made: Folder = { path, chunks: undefined, cells: new Map() };
      made.chunks = stored?.map((_, i) => new Chunk(made, i));
      folders.set(path, made);
      folder = made;
    }
    return folder;
  };
  const cellIn = (folder: Folder, name: string): Cell => {
    let found = folder.cells.get(name);
    if (!found) {
      const { chunks } = folder;
      found = new Cell(kept, folder.path, name, chunks?.[chunkOf(name, chunks.length)]);
      folder.cells.set(name, found);
    }
    return found;
  };
  const cell = (folder: string, name: string): Cell => cellIn(folderOf(folder), name);

  /** An entity parsed, kept if the cache admits it; a value kept meanwhile wins. */
  const parse = (target: Cell, text: string): unknown => {
    if (target.value !== undefined) return target.value;
    const value = parseJson(location, target.path, text);
    kept.admit(target, value, text.length);
    return value;
  };

  const memberText = (content: ChunkContent, at: number | undefined) =>
    at === undefined ? undefined : textOf(content.data, content.starts[at], content.ends[at]);

  /**
   * Reads a chunk file (once for concurrent callers) and keeps its layout; with `parseAll`, and
   * room in the budget, parses and keeps every entity it holds; else keeps its text, if there is
   * room and its entities cannot be read again one by one (`readRange`).
   */
  const load = async (chunk: Chunk, parseAll: boolean): Promise<ChunkContent> => {
    chunk.loading ??= files.readFile(chunk.path).then(
      (data) => {
        chunk.loading = undefined;
        if (data === undefined) throw damaged(location, chunk.path);
        return readChunk(location, chunk.path, data);
      },
      (error: unknown) => {
        chunk.loading = undefined;
        throw error;
      },
    );
    const content = await chunk.loading;
    const { names } = content;
    if (!chunk.layout) {
      const { positions, inFile } = content;
      const [starts, ends] = [Uint32Array.from(content.starts), Uint32Array.from(content.ends)];
      kept.keepLayout(chunk, { positions, starts, ends, inFile }, names.length);
    }
    if (parseAll && kept.hasRoomToParse(content.data.length)) {
      for (let i = 0; i < names.length; i++)
        parse(cellIn(chunk.folder, names[i]!), memberText(content, i)!);
    } else if (!(content.inFile && files.readRange) && !chunk.data) {
      kept.keepData(chunk, content);
    }
    return content;
  };

  /** The texts of entities of one chunk, by name, read the cheapest way the cache allows. */
  const texts = async (
    chunk: Chunk,
    names: readonly string[],
    parseAll: boolean,
  ): Promise<(string | undefined)[]> => {
    const { data, layout } = chunk;
    if (data) {
      data.used = true;
      return names.map((name) => memberText(data.content, data.content.positions.get(name)));
    }
    if (layout?.inFile && files.readRange && names.length <= RANGE_READS) {
      layout.used = true;
      const { starts, ends, positions } = layout;
      let declined = false;
      const found = await Promise.all(
        names.map(async (name) => {
          const at = positions.get(name);
          if (at === undefined) return undefined;
          const part = await files.readRange!(chunk.path, starts[at]!, ends[at]!);
          declined ||= part === undefined;
          return part && textOf(part);
        }),
      );
      if (!declined) return found;
      // Not the version the line index was made from: read it whole again.
      chunk.layout = undefined;
    }
    const content = await load(chunk, parseAll);
    return names.map((name) => memberText(content, content.positions.get(name)));
  };

  /** Fills `out` at `at` with the values of cells of one chunk (or of one own-file entity). */
  const fill = async (cells: readonly Cell[], at: number[], out: unknown[]): Promise<void> => {
    const first = cells[at[0]!]!;
    if (!first.chunk) {
      const data = await files.readFile(first.path);
      const value = data === undefined ? undefined : parse(first, textOf(data));
      for (const i of at) out[i] = value;
      return;
    }
    const found = await texts(
      first.chunk,
      at.map((i) => cells[i]!.name),
      true,
    );
    at.forEach((i, n) => {
      const target = cells[i]!;
      const text = found[n];
      out[i] = target.value ?? (text === undefined ? undefined : parse(target, text));
    });
  };

  const values = (cells: readonly Cell[]): Promise<unknown[]> => {
    kept.read();
    const out = new Array<unknown>(cells.length);
    let misses: Map<Chunk | Cell, number[]> | undefined;
    for (let i = 0; i < cells.length; i++) {
      const target = cells[i]!;
      if (target.value !== undefined) {
        target.used = true;
        out[i] = target.value;
        continue;
      }
      misses ??= new Map();
      const key = target.chunk ?? target;
      const group = misses.get(key);
      if (group) group.push(i);
      else misses.set(key, [i]);
    }
    if (!misses) return Promise.resolve(out);
    return Promise.all([...misses.values()].map((at) => fill(cells, at, out))).then(() => out);
  };

  const chunkCount = (path: string) =>
    Object.hasOwn(manifest.chunks, path) ? manifest.chunks[path]!.length : 0;
  /** A chunk file read whole, outside the cache; each member's text for `visit`. */
  const visitChunk = async (file: string, visit: (name: string, text: string) => void) => {
    const data = await files.readFile(file);
    if (data === undefined) throw damaged(location, file);
    const content = readChunk(location, file, data);
    content.names.forEach((name, i) => {
      visit(name, memberText(content, i)!);
    });
  };
  /** Each member parsed, for `visit`. */
  const parsed =
    (file: string, visit: (name: string, value: unknown) => void) => (name: string, text: string) =>
      visit(name, parseJson(location, file, text));
  /** Every chunk file of a folder in turn, each visited by what `visitor` gives for it. */
  const scanChunks = async (
    path: string,
    visitor: (file: string) => (name: string, text: string) => void,
  ) => {
    for (let index = 0; index < chunkCount(path); index++) {
      const file = chunkFile(path, index);
      await visitChunk(file, visitor(file));
    }
  };

  const readEntity = async (path: string) => (await values([cell(...splitEntityPath(path))]))[0];

  return {
    location,
    manifest,
    cell,
    values,
    readEntity,
    async readJson(path) {
      const [folder] = splitEntityPath(path);
      if (Object.hasOwn(manifest.chunks, folder)) return readEntity(path);
      const data = await files.readFile(path);
      return data === undefined ? undefined : parseJson(location, path, textOf(data));
    },
    async readText(path) {
      const [folderPath, name] = splitEntityPath(path);
      const { chunks } = folderOf(folderPath);
      const chunk = chunks?.[chunkOf(name, chunks.length)];
      if (!chunk) {
        const data: FileData | undefined = await files.readFile(path);
        return data === undefined ? undefined : textOf(data);
      }
      return (await texts(chunk, [name], false))[0];
    },
    async readFolder(path) {
      // Every chunk read at once (the files' limit paces them), then kept in chunk order.
      const parts = await Promise.all(
        Array.from({ length: chunkCount(path) }, async (_, index) => {
          const part: [string, unknown][] = [];
          const file = chunkFile(path, index);
          await visitChunk(
            file,
            parsed(file, (name, value) => part.push([name, value])),
          );
          return part;
        }),
      );
      return new Map(parts.flat());
    },
    scanFolder: (path, visit) => scanChunks(path, (file) => parsed(file, visit)),
    scanTexts: (path, visit) => scanChunks(path, () => visit),
  };
}
