import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { ButterError } from '../../src/core/errors.ts';
import { readManifest, readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import type { SyncEvent } from '../../src/core/sync/types.ts';
import { collectionsOf, countingFetch, pageTypesOf, readTree, tempDir } from './helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir();
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

const base = () => ({
  token: fake.token,
  apiUrl: fake.apiUrl,
  locales: ['en', 'fr'],
  media: false,
  types: false as const,
});

describe('discovery through references', () => {
  it('crawls and reports page types and collections only references name', async () => {
    const events: SyncEvent[] = [];
    const out = join(tmp.dir, 'discover');
    const result = await sync(
      { ...base(), out, pageTypes: ['guide'] },
      { onProgress: (e) => events.push(e) },
    );
    // guide → landing-page, navigation_menu, feature; navigation_menu → navigation_menu_item.
    expect(result.discovered.pageTypes).toEqual(['landing-page']);
    expect(result.discovered.collections).toEqual([
      'feature',
      'navigation_menu',
      'navigation_menu_item',
    ]);
    expect(result.pageTypes).toEqual(['guide', 'landing-page']);
    expect(result.collections).not.toContain('faq');
    const found = events.filter((e) => e.type === 'discovered').map((e) => e.name);
    expect(found.sort()).toEqual([
      'feature',
      'landing-page',
      'navigation_menu',
      'navigation_menu_item',
    ]);

    const manifest = await readManifest(out);
    expect(manifest?.discovered).toEqual(result.discovered);
    const { content } = await readSnapshot(out);
    for (const locale of content.locales) {
      expect(Object.keys(locale.pageTypes)).toEqual(['guide', 'landing-page']);
      expect(locale.collections.navigation_menu_item?.length).toBeGreaterThan(0);
    }
  });

  it('does not report what is configured', async () => {
    const result = await sync({
      ...base(),
      out: join(tmp.dir, 'configured'),
      pageTypes: pageTypesOf(fake.account),
      collections: collectionsOf(fake.account),
    });
    expect(result.discovered).toEqual({ pageTypes: [], collections: [] });
  });

  it('discovers from URIs without a trailing slash too', async () => {
    const plain = await startFakeButter({ account: 'plain' });
    try {
      const result = await sync({
        token: plain.token,
        apiUrl: plain.apiUrl,
        out: join(tmp.dir, 'plain'),
        pageTypes: ['guide'],
        media: false,
        types: false,
      });
      expect(result.discovered.pageTypes).toEqual(['landing-page']);
      expect(result.discovered.collections).toContain('navigation_menu_item');
    } finally {
      await plain.close();
    }
  });
});

describe('unknown page types and collections', () => {
  it('fails naming a configured page type the API does not know, old snapshot untouched', async () => {
    const out = join(tmp.dir, 'unknown');
    await sync({ ...base(), out, pageTypes: ['guide'] });
    const before = await readTree(out);

    const error = await sync({ ...base(), out, pageTypes: ['guide', 'no-such-type'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ButterError);
    expect((error as ButterError).code).toBe('NOT_FOUND');
    expect((error as Error).message).toContain('unknown page type `no-such-type`');
    expect((error as Error).message).toContain('ButterCMS → Page Types');
    expect(await readTree(out)).toEqual(before);
  });

  it('fails naming an unknown collection key', async () => {
    const error = await sync({
      ...base(),
      out: join(tmp.dir, 'unknown-collection'),
      collections: ['nope_key'],
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('unknown collection `nope_key`');
  });

  it('starts no request once one listing has failed', async () => {
    const counting = countingFetch();
    fake.setFaults({ latencyMs: 10 });
    try {
      await expect(
        sync(
          { ...base(), out: join(tmp.dir, 'stop'), pageTypes: ['no-such-type'], concurrency: 2 },
          { fetch: counting.fetch },
        ),
      ).rejects.toThrow(/no-such-type/);
    } finally {
      fake.setFaults({});
    }
    const started = counting.calls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counting.calls()).toBe(started);
  });
});

describe('locales', () => {
  it('names a locale the account does not have', async () => {
    const error = await sync({
      token: fake.token,
      apiUrl: fake.apiUrl,
      out: join(tmp.dir, 'bad-locale'),
      locales: ['en', 'xx'],
      media: false,
      types: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ButterError);
    expect((error as Error).message).toContain('locale `xx`');
    expect((error as Error).message).toContain('--locales');
  });
});
