/**
 * `profile.json`: the sync stores the profile it learned, the reader uses it instead of the
 * probe answers, and a snapshot without it (older syncs) is read the same way from
 * `probes.json`.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import type { EntityRef, JsonObject, SnapshotContent } from '../../src/core/model/content.ts';
import { learnApiProfile } from '../../src/core/model/profile.ts';
import { createLocalButter } from '../../src/core/reader/index.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { collectionsOf, pageTypesOf, tempDir } from '../sync/helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
let out: string;

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir('butter-profile-');
  out = join(tmp.dir, 'snapshot');
  await sync({
    token: fake.token,
    apiUrl: fake.apiUrl,
    out,
    levels: 3,
    locales: ['en', 'fr'],
    pageTypes: pageTypesOf(fake.account),
    collections: collectionsOf(fake.account),
    media: false,
    types: false,
  });
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

const entityIn =
  (content: SnapshotContent) =>
  (ref: EntityRef, locale: string | null): JsonObject | undefined => {
    const l = content.locales.find((x) => x.locale === locale);
    if (!l) return undefined;
    if (ref.kind === 'item')
      return l.collections[ref.key]?.find((i) => (i.meta as JsonObject).id === ref.id);
    const list = ref.pageType === '*' ? l.singlePages : l.pageTypes[ref.pageType];
    return list?.find((p) => p.slug === ref.slug);
  };

/** Answers whose shapes come from the profile: embedded references, post detail, lists. */
async function answers(dir: string) {
  const butter = createLocalButter(dir);
  const { content } = await readSnapshot(out); // not `dir`: this reads every file
  const guide = content.locales[0]!.pageTypes.guide![0]!.slug as string;
  const post = content.blog.posts[1]!.slug as string;
  return JSON.stringify([
    (await butter.page.retrieve('guide', guide, { levels: 3, locale: 'en' })).data,
    (await butter.page.list('guide', { levels: 2, locale: 'fr' })).data,
    (await butter.post.retrieve(post)).data,
    (await butter.author.list({ include: 'recent_posts' })).data,
    (await butter.content.retrieve(collectionsOf(fake.account), { levels: 2 })).data,
  ]);
}

describe('profile.json', () => {
  it('is the profile learned from the probes, stored by the sync', async () => {
    const stored = JSON.parse(await readFile(join(out, 'profile.json'), 'utf8'));
    const { content, manifest } = await readSnapshot(out);
    expect(manifest.hashes['profile.json']).toBeDefined();
    const learned = learnApiProfile(content.probes, {
      posts: content.blog.posts,
      entity: entityIn(content),
    });
    expect(stored).toEqual(JSON.parse(JSON.stringify(learned)));
    const probes = await readFile(join(out, 'probes.json'));
    const profile = await readFile(join(out, 'profile.json'));
    expect(profile.length).toBeLessThan(probes.length / 2);
  });

  it('is what the reader uses: it never opens probes.json', async () => {
    const dir = join(tmp.dir, 'no-probes');
    await cp(out, dir, { recursive: true });
    await writeFile(join(dir, 'probes.json'), 'not json: must not be read');
    expect(await answers(dir)).toEqual(await answers(out));
  });

  it('falls back to learning from probes.json in snapshots without it', async () => {
    const dir = join(tmp.dir, 'older');
    await cp(out, dir, { recursive: true });
    await rm(join(dir, 'profile.json'));
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    delete manifest.hashes['profile.json'];
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(await answers(dir)).toEqual(await answers(out));
  });
});
