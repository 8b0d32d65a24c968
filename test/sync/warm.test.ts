/**
 * Warm syncs: after any mix of edits (content, translations, additions, deletions, unpublished
 * and scheduled entities, authors), a warm sync writes the snapshot and types a cold (`full`)
 * sync of the same account writes, byte for byte; with nothing changed it spends a fraction of
 * the cold sync's requests.
 */
import { cp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, EDIT_KINDS } from '../../fixtures/account/edit.ts';
import { sync } from '../../src/core/sync/index.ts';
import { apiLog, collectionsOf, fakeAndTempDir, pageTypesOf, readTree } from './helpers.ts';

const env = fakeAndTempDir('small', 'butter-warm-');

/** The configuration: the account's page types and collections before any edit. */
const configured = { pageTypes: [] as string[], collections: [] as string[] };
beforeAll(() => {
  configured.pageTypes = pageTypesOf(env.fake.account);
  configured.collections = collectionsOf(env.fake.account);
});
const options = (out: string) => ({
  token: env.fake.token,
  apiUrl: env.fake.apiUrl,
  locales: ['en', 'fr'],
  ...configured,
  levels: 2 as const,
  out,
  types: `${out}.d.ts`,
});

/** The snapshot's files without the sync time (manifest `syncedAt`), and the declarations. */
async function comparable(out: string) {
  const tree = await readTree(out);
  const manifest = JSON.parse(tree.get('manifest.json')!);
  delete manifest.syncedAt;
  tree.set('manifest.json', JSON.stringify(manifest));
  tree.set('(types)', await readFile(`${out}.d.ts`, 'utf8'));
  return Object.fromEntries([...tree].sort(([a], [b]) => a.localeCompare(b)));
}

describe('warm sync', () => {
  it('spends a fraction of the cold sync’s requests when nothing changed', async () => {
    const out = join(env.dir, 'unchanged');
    const cold = await sync(options(out));
    env.fake.resetLog();
    const warm = await sync(options(out));
    expect(warm.changed).toBe(false);
    // Every page type in each locale proven unchanged (the posts' sitemap check cannot prove
    // the posts modified within a day and a half of the newest one: their page is fetched).
    expect(warm.warm!.skipped).toBeGreaterThanOrEqual(options(out).pageTypes.length * 2);
    expect(warm.warm!.callsSaved).toBe(cold.requests - warm.requests);
    expect(warm.warm!.callsSaved).toBeGreaterThan(0);
    const log = apiLog(env.fake);
    // Page types: the one-item check only (each locale), no listing, no probe of them.
    const pageTypes = log.filter((e) => /^\/v2\/pages\/(?!\*)/.test(e.path));
    expect(pageTypes).toHaveLength(options(out).pageTypes.length * 2);
    for (const e of pageTypes) expect(e.query).toMatch(/page_size=1&order=-updated/);
    expect(log.map((e) => e.path)).toContain('/v2/feeds/sitemap/');
  });

  it('compares answers with the snapshot as it stores them: local media costs no request', async () => {
    const fakeCdn = { mediaHosts: [new URL(env.fake.url).host] };
    const remote = join(env.dir, 'media-remote');
    const local = join(env.dir, 'media-local');
    await sync(options(remote));
    await sync({ ...options(local), ...fakeCdn });
    const withRemoteMedia = await sync(options(remote));
    const withLocalMedia = await sync({ ...options(local), ...fakeCdn });
    expect(withLocalMedia.changed).toBe(false);
    // Authors' images and posts' media stored as local paths do not make every post fetched.
    expect(withLocalMedia.warm!.postPages).toBe(withRemoteMedia.warm!.postPages);
    expect(withLocalMedia.requests).toBe(withRemoteMedia.requests);
  });

  it('syncs cold when the media settings changed: stored listings carry rewritten URLs', async () => {
    const fakeCdn = { mediaHosts: [new URL(env.fake.url).host] };
    const stored = (tree: Map<string, string>) =>
      [...tree]
        .filter(([path]) => /^(locales|blog)\//.test(path))
        .sort(([a], [b]) => a.localeCompare(b));
    const fresh = join(env.dir, 'media-fresh');
    await sync(options(fresh));
    for (const [before, after] of [
      [fakeCdn, {}],
      [fakeCdn, { ...fakeCdn, mediaBase: '/cms/' }],
    ]) {
      const out = join(env.dir, 'media-changed');
      await rm(out, { recursive: true, force: true });
      await sync({ ...options(out), ...before });
      const again = await sync({ ...options(out), ...after });
      expect(again.warm).toBeUndefined();
      await sync({ ...options(fresh), ...after });
      expect(stored(await readTree(out))).toEqual(stored(await readTree(fresh)));
    }
  });

  // Media stored locally: the snapshot holds rewritten URLs, which answers are compared against.
  it.each([
    ['media URLs left remote', false],
    ['media stored locally', true],
  ])(
    'gives a cold sync’s bytes after any sequence of edits (%s)',
    { timeout: 300_000 },
    async (name, local) => {
      const extra = local ? { mediaHosts: [new URL(env.fake.url).host] } : {};
      const configured = (out: string) => ({ ...options(out), ...extra });
      const warm = join(env.dir, `warm ${name}`);
      const cold = join(env.dir, `cold ${name}`);
      const first = await sync(configured(warm));
      expect(first.warm).toBeUndefined();
      let n = 0;
      const edit = fc.record({ kind: fc.constantFrom(...EDIT_KINDS), pick: fc.nat(1000) });
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { maxLength: 5 }), async (edits) => {
          env.fake.updateAccount((account) => {
            for (const e of edits) applyEdit(account, e, new Date(), ++n);
          });
          // The cold sync starts from the same snapshot (its types lock widens from the same lock).
          await rm(cold, { recursive: true, force: true });
          await cp(warm, cold, { recursive: true });
          await cp(`${warm}.d.ts`, `${cold}.d.ts`);
          const warmed = await sync(configured(warm));
          const full = await sync({ ...configured(cold), full: true });
          expect(warmed.warm).toBeDefined();
          expect(full.warm).toBeUndefined();
          expect(await comparable(warm)).toEqual(await comparable(cold));
        }),
        { numRuns: 25 },
      );
    },
  );
});
