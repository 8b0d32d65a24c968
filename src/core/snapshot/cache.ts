/**
 * A memory budget for what the reader keeps (CLOCK, the usual approximation of
 * least-recently-used). Entries are the caller's own objects — a parsed entity's cell, a chunk's
 * line index — with a cost in bytes and a `used` flag the caller sets on each hit (a hit costs
 * one store, no lookup). Past the budget the hand sweeps the entries oldest first: one used since it was
 * last passed loses its flag, one not used is dropped (`drop()`: the caller forgets its value).
 * What a caller still holds stays alive in the caller; the cache only stops keeping it. No Node
 * built-ins (the runtime of `virtual:buttercms` uses it in browsers).
 */

/** The reader's budget when none is given (`ReaderOptions.cache`), in megabytes. */
export const DEFAULT_READER_CACHE = 1024;

export interface Kept {
  /** Bytes the entry is counted for; fixed while it is kept. */
  readonly cost: number;
  /** Set by the owner on each use; cleared by the hand. */
  used: boolean;
  /** Called once when the cache stops keeping the entry. */
  drop(): void;
}

export class BudgetCache {
  readonly budget: number;
  #used = 0;
  // A queue: the hand takes from the front, new and second-chance entries join the back.
  #queue: (Kept | undefined)[] = [];
  #head = 0;

  /** `budget` in bytes; `Infinity` keeps everything. */
  constructor(budget: number) {
    this.budget = budget;
  }

  /** Whether `cost` more bytes fit without dropping anything. */
  hasRoom(cost: number): boolean {
    return this.#used + cost <= this.budget;
  }

  /**
   * Keeps `entry` (not kept already) unless it alone is over the budget, dropping others down
   * to the budget first. Returns whether it is kept.
   */
  keep(entry: Kept): boolean {
    if (entry.cost > this.budget) return false;
    while (this.#used + entry.cost > this.budget) this.#sweep();
    this.#used += entry.cost;
    this.#queue.push(entry);
    return true;
  }

  /** Summed cost of what is kept. */
  get used(): number {
    return this.#used;
  }

  /** One step of the hand: a second chance for a used entry, out for an unused one. */
  #sweep(): void {
    const entry = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined;
    if (entry.used) {
      entry.used = false;
      this.#queue.push(entry);
    } else {
      this.#used -= entry.cost;
      entry.drop();
    }
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
