import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHtmlUrls } from '../../src/core/media/html.ts';
import { rewriteString } from '../../src/core/media/rewrite.ts';

const url = fc
  .tuple(
    fc.constantFrom(
      'https://cdn.buttercms.com/',
      'http://127.0.0.1:9/cdn/',
      '//cdn.buttercms.com/',
    ),
    fc.stringMatching(/^[A-Za-z0-9_=:,/-]{1,20}$/),
  )
  .map(([a, b]) => a + b);

const fragment = fc.oneof(
  fc.stringMatching(/^[a-z <>&;=."'/!-]{0,12}$/),
  url.map((u) => `<img src="${u}" alt="x">`),
  url.map((u) => `<a href='${u}'>t</a>`),
  url.map((u) => `<video poster=${u} controls>`),
  fc.tuple(url, url).map(([a, b]) => `<img srcset="${a} 1x, ${b} 2x">`),
  url.map((u) => `<!-- <img src="${u}"> -->`),
  url.map((u) => `<script>"<img src=${u}>"</script>`),
);

describe('HTML rewriting (property)', () => {
  it('changes nothing but URL spans, which are ordered and disjoint', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (parts) => {
        const html = parts.join('');
        const found = findHtmlUrls(html);
        for (let i = 1; i < found.length; i++) {
          expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
        }
        const map = new Map(found.map((f) => [f.url, '/L']));
        const out = rewriteString(html, map);
        let expected = '';
        let last = 0;
        for (const f of found) {
          expected += `${html.slice(last, f.start)}/L`;
          last = f.end;
        }
        expect(out).toBe(found.length === 0 ? html : expected + html.slice(last));
        // An empty map returns the very same string.
        expect(rewriteString(html, new Map())).toBe(html);
      }),
      { numRuns: 300 },
    );
  });
});
