/**
 * A content edit that changes no type writes no types: only closed vocabularies (a few short
 * values repeated across many entities) are dropdown candidates in `types.lock.json`, so editing
 * free text — a headline, a call to action — leaves both the lock and `buttercms.d.ts` as they
 * were, while a new dropdown choice does change them.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { TYPES_LOCK_FILE } from '../../src/core/codegen/lock.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { tempDir } from '../sync/helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  fake = await startFakeButter({ account: 'generated:pages=60,posts=20,items=40,seed=5' });
  tmp = await tempDir('codegen-edits-');
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

describe('types after a content edit', () => {
  const options = () => ({
    token: fake.token,
    apiUrl: fake.apiUrl,
    root: tmp.dir,
    out: '.buttercms',
    types: 'buttercms.d.ts',
    media: false,
    pageTypes: [...new Set(fake.account.pages.flatMap((p) => (p.pageType ? [p.pageType] : [])))],
    collections: Object.keys(fake.account.collections),
    locales: fake.account.locales,
  });
  const files = async () => {
    const types = join(tmp.dir, 'buttercms.d.ts');
    const lock = join(tmp.dir, '.buttercms', TYPES_LOCK_FILE);
    return {
      types: await readFile(types, 'utf8'),
      typesTime: (await stat(types)).mtimeMs,
      lock: await readFile(lock, 'utf8'),
      lockHash: (await readManifest(join(tmp.dir, '.buttercms')))?.hashes[TYPES_LOCK_FILE],
    };
  };

  it('rewrites neither buttercms.d.ts nor types.lock.json when a headline changes', async () => {
    await sync(options());
    const before = await files();
    const landing = fake.account.pages.find(
      (p) => p.pageType === 'landing-page' && p.status === 'published',
    )!.slug;
    const product = fake.account.pages.find(
      (p) => p.pageType === 'product' && p.status === 'published',
    )!.slug;
    for (const text of ['An edited headline', 'Edited once more', 'Short']) {
      fake.updateAccount((account) => {
        const page = account.pages.find((p) => p.slug === landing)!;
        page.fields.headline = text;
        page.updated = new Date().toISOString();
        // Short free text with a key that could be a dropdown's: a spec's value.
        const specs = account.pages.find((p) => p.slug === product)!.fields.specs as {
          value: string;
        }[];
        specs[0]!.value = text;
      });
      const result = await sync(options());
      expect(result.changed).toBe(true);
      expect(result.types).toMatchObject({ changed: false, changes: 0 });
      const after = await files();
      expect(after.lock).toBe(before.lock);
      expect(after).toEqual(before);
    }
  });

  it('writes both when a dropdown gets a new choice', async () => {
    await sync(options());
    const before = await files();
    expect(before.types).toContain('  theme: ("brand" | "dark" | "light" | (string & {}));');
    fake.updateAccount((account) => {
      const page = account.pages.find(
        (p) => p.pageType === 'landing-page' && p.status === 'published',
      )!;
      page.fields.theme = 'neon';
      page.updated = new Date().toISOString();
    });
    const result = await sync(options());
    expect(result.types).toMatchObject({ changed: true });
    const after = await files();
    expect(after.types).toContain(
      '  theme: ("brand" | "dark" | "light" | "neon" | (string & {}));',
    );
    expect(after.lockHash).not.toBe(before.lockHash);
  });
});
