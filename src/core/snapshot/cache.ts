/**
 * A cache with a memory budget: values are kept with a cost (bytes), the least recently used
 * go first once the costs add up past the budget. What a caller still holds stays alive in the
 * caller; the cache only stops keeping it. No Node built-ins (the runtime of
 * `virtual:buttercms` uses it in browsers).
 */
export class BudgetCache<V> {
  readonly budget: number;
  #used = 0;
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  #entries = new Map<string, { value: V; cost: number }>();

  /** `budget` in the unit of the costs; `Infinity` keeps everything. */
  constructor(budget: number) {
    this.budget = budget;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone is over the budget, then evicts down to the budget. */
  set(key: string, value: V, cost: number): void {
    this.delete(key);
    if (cost > this.budget) return;
    this.#entries.set(key, { value, cost });
    this.#used += cost;
    for (const [oldest, entry] of this.#entries) {
      if (this.#used <= this.budget) break;
      this.#entries.delete(oldest);
      this.#used -= entry.cost;
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
