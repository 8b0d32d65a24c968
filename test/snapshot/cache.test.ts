import { describe, expect, it } from 'vitest';
import { BudgetCache, type Kept } from '../../src/core/snapshot/cache.ts';

function entry(name: string, cost: number, dropped: string[]): Kept & { name: string } {
  return {
    name,
    cost,
    used: false,
    drop() {
      dropped.push(name);
    },
  };
}

describe('BudgetCache', () => {
  it('drops the oldest unused entries first, and gives used ones a second chance', () => {
    const dropped: string[] = [];
    const cache = new BudgetCache(30);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => entry(n, 10, dropped));
    for (const e of [a!, b!, c!]) expect(cache.keep(e)).toBe(true);
    a!.used = true;
    expect(cache.keep(entry('d', 10, dropped))).toBe(true);
    // `a` was used since it was kept: `b`, the oldest unused, goes.
    expect(dropped).toEqual(['b']);
    expect(a!.used).toBe(false);
    expect(cache.keep(entry('e', 20, dropped))).toBe(true);
    expect(dropped).toEqual(['b', 'c', 'a']);
    expect(cache.used).toBe(30);
  });

  it('keeps nothing over its budget, and nothing at all with none', () => {
    const dropped: string[] = [];
    expect(new BudgetCache(10).keep(entry('big', 11, dropped))).toBe(false);
    const none = new BudgetCache(0);
    expect(none.keep(entry('x', 1, dropped))).toBe(false);
    expect(none.hasRoom(1)).toBe(false);
    expect(new BudgetCache(Number.POSITIVE_INFINITY).hasRoom(1e15)).toBe(true);
    expect(dropped).toEqual([]);
  });
});
