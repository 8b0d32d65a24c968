import { expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/model/content.ts';
import { mediaProbeSize } from '../../src/core/sync/probes.ts';

const page = (fields: JsonObject): JsonObject => ({ slug: 's', fields });

it('asks for the fewest first entities that hold every media-shaped path of the first page', () => {
  const hero = { url: 'https://cdn.buttercms.com/a', alt: 'A' };
  expect(
    mediaProbeSize([
      page({ title: 'no media' }),
      page({ hero }),
      page({ hero, title: 'the same path again' }),
      page({ links: [{ url: 'https://example.com' }, { url: 'https://example.com/b' }] }),
      page({ hero, links: [] }),
    ]),
  ).toBe(4);
  // Paths, not values: a component picker's entries count by their place.
  expect(
    mediaProbeSize([
      page({ body: [{ type: 'hero', fields: { image: hero } }] }),
      page({ body: [{ type: 'text', fields: { image: hero } }] }),
    ]),
  ).toBe(1);
  expect(mediaProbeSize([page({ title: 'x', hero: '' }), page({ hero: null })])).toBe(0);
  expect(mediaProbeSize([])).toBe(0);
});
