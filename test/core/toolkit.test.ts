import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/core/toolkit/format.ts';
import { debugEnabled } from '../../src/core/toolkit/log.ts';
import { sleep } from '../../src/core/toolkit/sleep.ts';

describe('debugEnabled', () => {
  it('reads DEBUG as the debug package does: lists, wildcards, exclusions', () => {
    expect(debugEnabled({})).toBe(false);
    expect(debugEnabled({ DEBUG: 'unplugin-buttercms' })).toBe(true);
    expect(debugEnabled({ DEBUG: 'vite:*, unplugin-*' })).toBe(true);
    expect(debugEnabled({ DEBUG: '*' })).toBe(true);
    expect(debugEnabled({ DEBUG: '*,-unplugin-buttercms' })).toBe(false);
    expect(debugEnabled({ DEBUG: 'vite:*' })).toBe(false);
    expect(debugEnabled({ DEBUG: 'unplugin-buttercms-extra' })).toBe(false);
  });
});

describe('sleep', () => {
  it("stops at the signal's abort with its reason, listening on none of the caller's signal", async () => {
    const controller = new AbortController();
    const waits = Array.from({ length: 20 }, () => sleep(60_000, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const reason = new Error('stopped');
    controller.abort(reason);
    for (const wait of waits) await expect(wait).rejects.toBe(reason);
    await expect(sleep(1, controller.signal)).rejects.toBe(reason);
  });
});

describe('plural', () => {
  it('adds s, turns a consonant + y into ies, and takes an irregular plural', () => {
    expect(plural(1, 'category')).toBe('1 category');
    expect(plural(3, 'category')).toBe('3 categories');
    expect(plural(2, 'day')).toBe('2 days');
    expect(plural(0, 'media URL')).toBe('0 media URLs');
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });
});
