import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeName } from '../../src/core/snapshot/names.ts';

describe('escapeName of a long name (the hash shared with the browser runtime)', () => {
  it('ends with the SHA-256 node:crypto gives for the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 121, maxLength: 300 }), (s) => {
        const sha = createHash('sha256').update(s, 'utf8').digest('hex');
        expect(escapeName(s).endsWith(`~~${sha.slice(0, 16)}`)).toBe(true);
      }),
    );
  });
});
