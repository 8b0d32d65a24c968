/**
 * A cache with a memory budget: values are kept with a cost (bytes); once the costs add up past
 * the budget, what was not used since it was last passed over goes first (the CLOCK
 * approximation of least-recently-used: a hit only sets a flag, where moving the entry to the
 * back of the Map cost a tenth of a whole read of the account). What a caller still holds stays alive in the
 * caller; the cache only stops keeping it. No Node built-ins (the runtime of
 * `virtual:buttercms` uses it in browsers).
 */
export class BudgetCache<V> {
  readonly budget: number;
  #used = 0;
  // A Map iterates in insertion order: the oldest first, then those given a second chance.
  #entries = new Map<string, { value: V; cost: number; used: boolean }>();

  /** `budget` in the unit of the costs; `Infinity` keeps everything. */
  constructor(budget: number) {
    this.budget = budget;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    entry.used = true;
    return entry.value;
  }

  /** Keeps `value` unless it alone is over the budget, then evicts down to the budget. */
  set(key: string, value: V, cost: number): void {
    this.delete(key);
    if (cost > this.budget) return;
    this.#entries.set(key, { value, cost, used: false });
    this.#used += cost;
    for (const [oldest, entry] of this.#entries) {
      if (this.#used <= this.budget) break;
      this.#entries.delete(oldest);
      if (entry.used) {
        entry.used = false;
        this.#entries.set(oldest, entry);
      } else {
        this.#used -= entry.cost;
      }
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#used -= entry.cost;
  }

  /** Summed cost of what is kept. */
  get used(): number {
    return this.#used;
  }
}
