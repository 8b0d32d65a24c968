/**
 * What a snapshot store keeps, and within which budget: each entity's `Cell` (its parsed value
 * while kept), each chunk file's line index (`Layout`) and, rarely, its text. The policy: keep
 * while the budget has room; past it, keep an entity turned away only when it is asked for
 * again while remembered, by a later read than the next (`AGAIN_AFTER`), so that a scan through
 * every entity cannot push out the ones every answer references, nor leave garbage behind for
 * the collector; line indexes have a share of the budget of their own (`INDEX_SHARE`). No Node
 * built-ins (browsers run it too).
 */
import { BudgetCache, type Kept } from './cache.ts';
import type { ChunkContent } from './chunked.ts';
import { chunkFile } from './names.ts';

/**
 * Memory a kept entity is counted for, per character of its JSON text: what V8 holds for parsed
 * content on generated accounts, rounded up, plus its cell.
 */
const PARSED_COST = 1.5;
/** Memory a chunk's line index is counted for, per entity (its name, offsets and lookup). */
const INDEX_COST = 96;
/**
 * The part of the budget for chunks' line indexes, which a scan through a snapshot larger than
 * the cache must not push out: with them an entity is read again alone, without its chunk.
 */
const INDEX_SHARE = 1 / 4;
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
  /** The read that last turned it away while it is remembered, else 0. */
  seen = 0;
  readonly #kept: StoreCache;

  constructor(kept: StoreCache, folder: string, name: string, chunk: Chunk | undefined) {
    this.#kept = kept;
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
    this.#kept.keptCells--;
  }
}

/** Where a chunk file's entities are in it (its line index without its text). */
export interface Layout {
  positions: Map<string, number>;
  starts: Uint32Array;
  ends: Uint32Array;
  /** Whether the offsets are the file's (an entity can be read again alone). */
  inFile: boolean;
}

/** A chunk file of a folder: its line index and its content, each while the cache keeps it. */
export class Chunk {
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

export interface Folder {
  path: string;
  /** `undefined`: the folder's entities are files of their own (`<folder>/<name>.json`). */
  chunks: Chunk[] | undefined;
  cells: Map<string, Cell>;
}

/** The budgets of one store and its admission policy. */
export class StoreCache {
  readonly #indexes: BudgetCache;
  readonly #entities: BudgetCache;
  keptCells = 0;
  /** Reads so far (`read()`): the clock of `Cell.seen`. */
  #reads = 0;
  readonly #ghosts: (Cell | undefined)[] = [];
  #ghostHead = 0;

  constructor(bytes: number) {
    this.#indexes = new BudgetCache(bytes * INDEX_SHARE);
    this.#entities = new BudgetCache(bytes * (1 - INDEX_SHARE));
  }

  /** Counts one read (one batch of entities asked for together). */
  read(): void {
    this.#reads++;
  }

  /** Whether the entities of a chunk of `chars` characters fit, parsed, without dropping any. */
  hasRoomToParse(chars: number): boolean {
    return this.#entities.hasRoom(chars * PARSED_COST);
  }

  /**
   * Keeps `value`, parsed from `chars` characters, in `cell` if the budget has room or it was
   * asked for again (`AGAIN_AFTER`); else remembers it was turned away.
   */
  admit(cell: Cell, value: unknown, chars: number): void {
    const cost = chars * PARSED_COST + INDEX_COST;
    const again = cell.seen !== 0 && this.#reads - cell.seen >= AGAIN_AFTER;
    if (!again && !this.#entities.hasRoom(cost)) {
      this.#turnedAway(cell);
      return;
    }
    cell.seen = 0;
    cell.value = value;
    cell.cost = cost;
    cell.used = false;
    if (this.#entities.keep(cell)) this.keptCells++;
    else cell.value = undefined;
  }

  /** Keeps a chunk's line index (of `count` entities) if its share of the budget allows. */
  keepLayout(chunk: Chunk, layout: Layout, count: number): void {
    const kept: Kept & Layout = {
      ...layout,
      cost: INDEX_COST * count,
      used: false,
      drop: () => {
        if (chunk.layout === kept) chunk.layout = undefined;
      },
    };
    if (this.#indexes.keep(kept)) chunk.layout = kept;
  }

  /** Keeps a chunk's content if the budget has room for it. */
  keepData(chunk: Chunk, content: ChunkContent): void {
    const cost = content.data.length;
    if (!this.#entities.hasRoom(cost)) return;
    const data: Kept & { content: ChunkContent } = {
      content,
      cost,
      used: false,
      drop: () => {
        if (chunk.data === data) chunk.data = undefined;
      },
    };
    if (this.#entities.keep(data)) chunk.data = data;
  }

  /** Remembers a cell turned away, forgetting the oldest past the ghosts' room. */
  #turnedAway(cell: Cell): void {
    const remembered = cell.seen !== 0;
    cell.seen = this.#reads;
    if (remembered) return;
    const ghosts = this.#ghosts;
    ghosts.push(cell);
    while (ghosts.length - this.#ghostHead > Math.max(GHOSTS, this.keptCells)) {
      const old = ghosts[this.#ghostHead]!;
      ghosts[this.#ghostHead++] = undefined;
      old.seen = 0;
    }
    if (this.#ghostHead > GHOSTS && this.#ghostHead * 2 > ghosts.length) {
      ghosts.splice(0, this.#ghostHead);
      this.#ghostHead = 0;
    }
  }
}
