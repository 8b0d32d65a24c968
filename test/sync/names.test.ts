/**
 * Names and keys an editor can pick, synced from the fake and read back: slugs with lone
 * surrogates (which UTF-8 and URLs cannot spell), field keys that name `Object.prototype`
 * methods or hold lone surrogates, a collection named `__proto__`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeAccount } from '../../fixtures/account/types.ts';
import { loadAccount } from '../../fixtures/accounts/index.ts';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { createLocalButter } from '../../src/index.ts';
import { tempDir } from './helpers.ts';

const SLUGS = ['x\ud800', 'x\udfff', 'x\ufffd'];
const KEYS = ['hasOwnProperty', 'constructor', 'k\udc00'];

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  const account: FakeAccount = structuredClone(await loadAccount('small'));
  const guide = account.pages.find((p) => p.pageType === 'guide')!;
  for (const [i, slug] of SLUGS.entries()) {
    account.pages.push({ ...structuredClone(guide), slug, name: `page ${i}` });
  }
  const fields = Object.fromEntries(KEYS.map((key, i) => [key, `value ${i}`]));
  guide.fields = { ...guide.fields, ...fields };
  for (const translated of Object.values(guide.translations ?? {}))
    Object.assign(translated, fields);
  // A collection keyed `__proto__`: an own key, as JSON.parse makes it.
  Object.defineProperty(account.collections, '__proto__', {
    value: account.collections.faq!.map((item, i) => ({ ...item, id: 9100 + i })),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  fake = await startFakeButter({ account });
  tmp = await tempDir();
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

it('syncs them (stored while crawling, without types) and serves each under its own name', async () => {
  const out = join(tmp.dir, 'streamed');
  await sync({
    token: fake.token,
    apiUrl: fake.apiUrl,
    out,
    types: false,
    locales: ['en', 'fr'],
    pageTypes: ['guide', 'landing-page'],
    collections: ['faq', '__proto__'],
    media: false,
  });
  const butter = createLocalButter(out);
  for (const [i, slug] of SLUGS.entries()) {
    const { data } = await butter.page.retrieve('guide', slug, { locale: 'fr' });
    expect(data.data.name).toBe(`page ${i}`);
  }
  const { data } = await butter.content.retrieve(['__proto__'], { locale: 'fr' });
  expect(Object.getOwnPropertyDescriptor(data.data, '__proto__')?.value).toHaveLength(2);
});

it('syncs them with types on, and the reader serves each entity under its own name', async () => {
  const out = join(tmp.dir, '.buttercms');
  const types = join(tmp.dir, 'buttercms.d.ts');
  const result = await sync({
    token: fake.token,
    apiUrl: fake.apiUrl,
    out,
    types,
    locales: ['en', 'fr'],
    pageTypes: ['guide', 'landing-page'],
    collections: ['faq', '__proto__'],
    media: false,
  });
  expect(result.collections).toContain('__proto__');
  const butter = createLocalButter(out);

  for (const [i, slug] of SLUGS.entries()) {
    const { data } = await butter.page.retrieve('guide', slug, { locale: 'en' });
    expect(data.data.slug).toBe(slug);
    expect(data.data.name).toBe(`page ${i}`);
  }

  const { data } = await butter.content.retrieve(['__proto__'], { locale: 'en' });
  const items = Object.getOwnPropertyDescriptor(data.data, '__proto__')?.value as
    | { meta: { id: number } }[]
    | undefined;
  expect(items?.map((i) => i.meta.id)).toEqual([9100, 9101]);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);

  const guide = await butter.page.retrieve('guide', 'guide-a', { locale: 'en' });
  const fields = guide.data.data.fields as Record<string, unknown>;
  for (const [i, key] of KEYS.entries()) {
    expect(Object.getOwnPropertyDescriptor(fields, key)?.value).toBe(`value ${i}`);
  }
  // Optional: the pages copied under the odd slugs do not have them.
  const declarations = await readFile(types, 'utf8');
  expect(declarations).toContain('  hasOwnProperty?: string;');
  expect(declarations).toContain('  "k\\udc00"?: string;');
});
