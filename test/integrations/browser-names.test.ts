import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/snapshot/names.ts';
import * as browser from '../../src/integrations/runtime/browser/names.ts';
import { sha256Hex } from '../../src/integrations/runtime/browser/sha256.ts';

describe('browser substitutes of node-only snapshot code', () => {
  it('hashes like node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
  });

  it('escapes and unescapes names exactly like the snapshot store', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(browser.escapeName(s)).toBe(core.escapeName(s));
        const escaped = core.escapeName(s);
        if (!escaped.includes('~~'))
          expect(browser.unescapeName(escaped)).toBe(core.unescapeName(escaped));
      }),
    );
    for (const name of ['', '_x', 'con', 'A.b/c', 'x'.repeat(200), '..']) {
      expect(browser.escapeName(name)).toBe(core.escapeName(name));
    }
  });

  it('builds the same paths', () => {
    const args: [string | null, string, string][] = [
      [null, 'landing-page', 'home'],
      ['fr', 'Ünïcode', 'a/b'],
    ];
    for (const [locale, type, slug] of args) {
      expect(browser.paths.page(locale, type, slug)).toBe(core.paths.page(locale, type, slug));
      expect(browser.paths.singlePage(locale, slug)).toBe(core.paths.singlePage(locale, slug));
      expect(browser.paths.item(locale, type, 42)).toBe(core.paths.item(locale, type, 42));
      expect(browser.paths.post(slug)).toBe(core.paths.post(slug));
    }
    expect(Object.keys(browser.paths).sort()).toEqual(Object.keys(core.paths).sort());
    expect(Object.keys(browser).sort()).toEqual(Object.keys(core).sort());
  });
});
