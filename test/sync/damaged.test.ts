/**
 * Damaged snapshots: a chunk cut short, replaced by garbage or with one value edited, an index
 * that lost entries. The reader refuses each on first read instead of serving it; the next
 * sync, whether or not the content changed, writes the damaged file again rather than keeping
 * or linking it, and says so. Both write paths: stored while crawling, and after the stages.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Options } from '../../src/core/options.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { createLocalButter } from '../../src/index.ts';
import { collectionsOf, fakeAndTempDir, pageTypesOf, readTree } from './helpers.ts';

const env = fakeAndTempDir();

const CHUNK = 'locales/en/pages/guide/_chunk-0.json';
const INDEX = 'locales/en/index.json';

type Damage = (text: string) => string;
const DAMAGES: [string, string, Damage][] = [
  ['cut short', CHUNK, (text) => text.slice(0, Math.floor(text.length / 2))],
  ['garbage', CHUNK, (text) => '\u0000garbage'.repeat(text.length / 8)],
  // The same length, still valid JSON: only the hash can tell.
  ['one value edited', CHUNK, (text) => text.replace('"guide-a"', '"guide-x"')],
  [
    'an index that lost entries',
    INDEX,
    (text) => {
      const index = JSON.parse(text);
      index.pageTypes.guide = index.pageTypes.guide.slice(0, 1);
      return `${JSON.stringify(index, null, 2)}\n`;
    },
  ],
];

/** Every file but the manifest, and the manifest without its sync time. */
async function stableTree(dir: string): Promise<Map<string, string>> {
  const tree = await readTree(dir);
  const manifest = JSON.parse(tree.get('manifest.json')!);
  delete manifest.syncedAt;
  tree.set('manifest.json', JSON.stringify(manifest));
  return tree;
}

for (const [mode, extra] of [
  ['stored while crawling', { types: false }],
  ['written after the stages', {}],
] as const) {
  describe(`a damaged snapshot (${mode})`, () => {
    let options: Options;
    let clean: Map<string, string>;
    beforeAll(async () => {
      env.fake.updateAccount(() => {});
      options = {
        token: env.fake.token,
        apiUrl: env.fake.apiUrl,
        out: join(env.dir, mode.replace(/ /g, '-')),
        types: join(env.dir, `${mode.replace(/ /g, '-')}.d.ts`),
        locales: ['en', 'fr'],
        pageTypes: pageTypesOf(env.fake.account),
        collections: collectionsOf(env.fake.account),
        media: false,
        ...extra,
      };
      await sync(options);
      clean = await stableTree(options.out!);
    });

    it.each(DAMAGES)(
      '%s: the reader refuses it, and a sync with nothing new repairs it',
      async (_name, file, damage) => {
        const path = join(options.out!, file);
        const original = await readFile(path, 'utf8');
        await writeFile(path, damage(original));

        const butter = createLocalButter(options.out!);
        const read = await butter.page.list('guide', { locale: 'en' }).catch((e: Error) => e);
        expect(read).toBeInstanceOf(Error);
        expect((read as Error).message).toContain(
          `${file} in the snapshot ${options.out} is damaged: its bytes are not those manifest.json records`,
        );

        const result = await sync(options);
        expect(result.changed).toBe(true);
        expect(result.warnings.join('\n')).toContain(`had damaged files (${file}`);
        expect(await readFile(path, 'utf8')).toBe(original);
        expect(await stableTree(options.out!)).toEqual(clean);
        const again = await sync(options);
        expect(again.changed).toBe(false);
      },
    );

    it('a sync with other changes writes the damaged chunk again instead of linking it', async () => {
      const path = join(options.out!, CHUNK);
      const original = await readFile(path, 'utf8');
      await writeFile(path, original.replace('"guide-a"', '"guide-x"'));
      env.fake.updateAccount((account) => {
        account.posts[0]!.title = `${account.posts[0]!.title} (edited)`;
      });
      const result = await sync(options);
      expect(result.warnings.join('\n')).toContain(`had damaged files (${CHUNK}`);
      expect(await readFile(path, 'utf8')).toBe(original);
      const { data } = await createLocalButter(options.out!).page.list('guide', { locale: 'en' });
      expect(data.data.map((p) => p.slug)).toContain('guide-a');
      clean = await stableTree(options.out!);
    });
  });
}

it('reads a snapshot written before chunk hashes were recorded, and records them on the next sync', async () => {
  const options: Options = {
    token: env.fake.token,
    apiUrl: env.fake.apiUrl,
    out: join(env.dir, 'older'),
    locales: ['en', 'fr'],
    pageTypes: pageTypesOf(env.fake.account),
    collections: collectionsOf(env.fake.account),
    media: false,
    types: false,
  };
  await sync(options);
  const manifestPath = join(options.out!, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  delete manifest.chunkHashes;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const { data } = await createLocalButter(options.out!).page.list('guide', { locale: 'en' });
  expect(data.data.length).toBeGreaterThan(0);
  expect((await sync(options)).changed).toBe(true);
  expect(Object.keys((await readManifest(options.out!))?.chunkHashes ?? {})).toContain(CHUNK);
});
