import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/core/snapshot/index.ts';
import { profileFile } from '../../src/core/sync/profile.ts';
import { createLocalButter } from '../../src/index.ts';
import { content, facts } from '../snapshot/fixture.ts';

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'butter-hostile-'));
  dir = join(root, '.buttercms');
  await writeSnapshot(dir, content(), { ...facts, levels: 1 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('learns media paths through hostile listings and keys as data', async () => {
  const hostile = join(root, 'media');
  const snapshot = content();
  const page = {
    slug: 'p',
    page_type: '__proto__',
    fields: JSON.parse('{"__proto__":{"url":"x"}}'),
  };
  Object.defineProperty(snapshot.locales[0]!.pageTypes, '__proto__', {
    value: [page],
    enumerable: true,
  });
  // The API kept the `__proto__` field an object: content, not media.
  snapshot.probes.media = [
    {
      listing: { kind: 'page', pageType: '__proto__' },
      locale: 'en',
      body: JSON.parse('{"data":[{"slug":"p","fields":{"__proto__":{"url":"x"}}}]}'),
    },
  ];
  await writeSnapshot(
    hostile,
    snapshot,
    { ...facts, levels: 1 },
    { extraFiles: profileFile(snapshot) },
  );
  const butter = createLocalButter(hostile);
  const res = await butter.page.retrieve('__proto__', 'p', { levels: 1, locale: 'en' });
  const fields = res.data.data.fields as Record<string, unknown>;
  expect(Object.hasOwn(fields, '__proto__')).toBe(true);
  expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual({ url: 'x' });
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

it('serves hostile slugs and keys as data, without touching prototypes', async () => {
  const butter = createLocalButter(dir);
  const params = { levels: 1, locale: 'en' };
  for (const slug of [
    '../x',
    'a/b',
    '/abs',
    'CON',
    'con',
    'Foo',
    'foo',
    'nul\0byte',
    '__proto__',
    'constructor',
  ]) {
    const res = await butter.page.retrieve('landing-page', slug, params);
    expect(res.data.data.slug).toBe(slug);
  }
  const proto = await butter.page.list('__proto__', { ...params, page_size: 10 });
  expect(proto.data.data.map((p) => p.slug)).toEqual(['p']);
  const items = await butter.content.retrieve(['constructor'], params);
  expect(Object.hasOwn(items.data.data, 'constructor')).toBe(true);
  expect(items.data.data.constructor).toEqual([{ meta: { id: 3 }, polluted: true }]);
  const category = await butter.category.retrieve('__proto__', { include: 'recent_posts' });
  expect(category.data.data.recent_posts?.map((p) => p.slug)).toEqual(['a-post']);
  expect(
    (await butter.page.retrieve('landing-page', 'toString', params).catch((e) => e)).cause.status,
  ).toBe(404);
  expect((await butter.content.retrieve(['toString'], params).catch((e) => e)).cause.status).toBe(
    404,
  );
  expect((await butter.tag.retrieve('hasOwnProperty').catch((e) => e)).cause.status).toBe(404);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});
