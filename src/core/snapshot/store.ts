/**
 * A snapshot's entities read through one memory budget (`BudgetCache`). Each entity the reader
 * asks for has a `Cell`: its parsed value while the cache keeps it, so a hit is a field read.
 * A chunk file is read whole the first time one of its entities is asked for; its line index
 * (where each entity's text is) is kept, and when the budget has room every entity of the chunk
 * is parsed and kept at once — a snapshot read whole then reads and parses each file once, as
 * the bound does. A cache too small for the snapshot keeps what is asked for again (an entity
 * turned away is kept when it is asked for again soon, `AGAIN_AFTER`: a scan through every
 * entity cannot push out the ones every answer references, nor leave garbage behind for the
 * collector) and reads the others' text again, one entity at a time with `readRange`, else with
 * their chunk file; chunks' line indexes have a share of the budget of their own. No Node
 * built-ins (browsers run it too).
 */
import { BudgetCache, type Kept } from './cache.ts';
import {
  type ChunkContent,
  damaged,
  type FileData,
  parseJson,
  readChunk,
  type SnapshotFiles,
  textOf,
} from './chunked.ts';
import type { Manifest } from './manifest.ts';
import { chunkFile, chunkOf, splitEntityPath } from './names.ts';

/**
 * Memory a kept entity is counted for, per character of its JSON text: V8 holds parsed content
 * in 1.15–1.4 times its text (measured on generated accounts), plus its cell.
 */
const PARSED_COST = 1.5;
/** Memory a chunk's line index is counted for, per entity (its name, offsets and lookup). */
const INDEX_COST = 96;
/**
 * The part of the budget for chunks' line indexes, which a scan through a snapshot larger than
 * the cache must not push out: with them an entity is read again alone, without its chunk.
 */
const INDEX_SHARE = 1 / 4;
/** Entities of one chunk read one by one (`readRange`) rather than by reading the chunk again. */
const RANGE_READS = 8;
/** Entities remembered as turned away, at least (more when more are kept). */
const GHOSTS = 1024;
/**
 * An entity turned away by a full cache is kept when asked for again while remembered, by a
 * read at least this many reads later: the very next read asking again (the next post's
 * neighbours, a page the same answer references twice) does not foretell more use.
 */
const AGAIN_AFTER = 2;

/** One entity of the snapshot. */
export class Cell implements Kept {
  readonly folder: string;
  readonly name: string;
  /** The chunk file holding it, or `undefined` when it is a file of its own. */
  readonly chunk: Chunk | undefined;
  /** The parsed entity while the cache keeps it (shared: never hand it out to be changed). */
  value: unknown = undefined;
  /** What a reader derives from `value` (its references…), forgotten with it. */
  derived: unknown = undefined;
  cost = 0;
  used = false;
  /** The read (`values` call) that last turned it away while it is remembered, else 0. */
  seen = 0;
  readonly #store: Counts;

  constructor(store: Counts, folder: string, name: string, chunk: Chunk | undefined) {
    this.#store = store;
    this.folder = folder;
    this.name = name;
    this.chunk = chunk;
  }

  /** Its logical path (made when asked: a string per entity kept would be heap for messages). */
  get path(): string {
    return `${this.folder}/${this.name}.json`;
  }

  drop(): void {
    this.value = undefined;
    this.derived = undefined;
    this.#store.keptCells--;
  }
}

interface Counts {
  keptCells: number;
}

/** Where a chunk file's entities are in it (its line index without its text). */
interface Layout {
  positions: Map<string, number>;
  starts: Uint32Array;
  ends: Uint32Array;
  inFile: boolean;
}

/**
 * A chunk file of a folder: its line index (`layout`: the content without its text) and its
 * content, each while the cache keeps it.
 */
class Chunk {
  readonly path: string;
  readonly folder: Folder;
  layout: (Kept & Layout) | undefined;
  data: (Kept & { content: ChunkContent }) | undefined;
  loading: Promise<ChunkContent> | undefined;

  constructor(folder: Folder, index: number) {
    this.folder = folder;
    this.path = chunkFile(folder.path, index);
  }
}

interface Folder {
  path: string;
  /** `undefined`: the folder's entities are files of their own (`<folder>/<name>.json`). */
  chunks: Chunk[] | undefined;
  cells: Map<string, Cell>;
}

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
}

export function openStore(files: SnapshotFiles, cacheBytes: number = UNBOUNDED): SnapshotStore {
  const { location, manifest } = files;
  const indexes = new BudgetCache(cacheBytes * INDEX_SHARE);
  const cache = new BudgetCache(cacheBytes * (1 - INDEX_SHARE));
  const counts: Counts = { keptCells: 0 };
  const folders = new Map<string, Folder>();
  const ghosts: (Cell | undefined)[] = [];
  let ghostHead = 0;
  /** `values` calls so far: the clock of `Cell.seen`. */
  let reads = 0;

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
      const chunk = chunks?.[chunkOf(name, chunks.length)];
      found = new Cell(counts, folder.path, name, chunk);
      folder.cells.set(name, found);
    }
    return found;
  };
  const cell = (folder: string, name: string): Cell => cellIn(folderOf(folder), name);

  /** Remembers a cell the cache turned away, forgetting the oldest past the ghosts' room. */
  const turnedAway = (target: Cell) => {
    const remembered = target.seen !== 0;
    target.seen = reads;
    if (remembered) return;
    ghosts.push(target);
    while (ghosts.length - ghostHead > Math.max(GHOSTS, counts.keptCells)) {
      const old = ghosts[ghostHead]!;
      ghosts[ghostHead++] = undefined;
      old.seen = 0;
    }
    if (ghostHead > GHOSTS && ghostHead * 2 > ghosts.length) {
      ghosts.splice(0, ghostHead);
      ghostHead = 0;
    }
  };

  /** Keeps a parsed entity if the budget has room, or if it is asked for again (`AGAIN_AFTER`). */
  const admit = (target: Cell, value: unknown, textLength: number): unknown => {
    if (target.value !== undefined) return target.value; // parsed by a concurrent call
    const cost = textLength * PARSED_COST + INDEX_COST;
    const again = target.seen !== 0 && reads - target.seen >= AGAIN_AFTER;
    if (!again && !cache.hasRoom(cost)) {
      turnedAway(target);
      return value;
    }
    target.seen = 0;
    target.value = value;
    target.cost = cost;
    target.used = false;
    if (cache.keep(target)) counts.keptCells++;
    else target.value = undefined;
    return value;
  };
  const parse = (target: Cell, text: string) =>
    admit(target, parseJson(location, target.path, text), text.length);

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
      const layout = {
        positions: content.positions,
        starts: Uint32Array.from(content.starts),
        ends: Uint32Array.from(content.ends),
        inFile: content.inFile,
        cost: INDEX_COST * names.length,
        used: false,
        drop: () => {
          chunk.layout = undefined;
        },
      };
      if (indexes.keep(layout)) chunk.layout = layout;
    }
    if (parseAll && cache.hasRoom(content.data.length * PARSED_COST)) {
      for (let i = 0; i < names.length; i++) {
        const member = cellIn(chunk.folder, names[i]!);
        if (member.value === undefined) parse(member, memberText(content, i)!);
      }
    } else if (
      !(content.inFile && files.readRange) &&
      !chunk.data &&
      cache.hasRoom(content.data.length)
    ) {
      const data = {
        content,
        cost: content.data.length,
        used: false,
        drop: () => {
          chunk.data = undefined;
        },
      };
      if (cache.keep(data)) chunk.data = data;
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
      return Promise.all(
        names.map(async (name) => {
          const at = positions.get(name);
          if (at === undefined) return undefined;
          const part = await files.readRange!(chunk.path, starts[at]!, ends[at]!);
          if (part === undefined) throw damaged(location, chunk.path);
          return textOf(part);
        }),
      );
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
    reads++;
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
  /** A chunk file read whole, outside the cache; each member parsed for `visit`. */
  const visitChunk = async (file: string, visit: (name: string, value: unknown) => void) => {
    const data = await files.readFile(file);
    if (data === undefined) throw damaged(location, file);
    const content = readChunk(location, file, data);
    content.names.forEach((name, i) => {
      visit(name, parseJson(location, file, memberText(content, i)!));
    });
  };
  const scanFolder = async (path: string, visit: (name: string, value: unknown) => void) => {
    for (let index = 0; index < chunkCount(path); index++) {
      await visitChunk(chunkFile(path, index), visit);
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
          await visitChunk(chunkFile(path, index), (name, value) => part.push([name, value]));
          return part;
        }),
      );
      return new Map(parts.flat());
    },
    scanFolder,
  };
}
