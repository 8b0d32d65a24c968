/**
 * What the reader keeps and reads, checked structurally (no timing): answers are fresh copies
 * whatever is cached; a cache smaller than the snapshot re-reads one entity rather than its
 * chunk file, and a scan through every page does not push out an item every page references;
 * `post.list`'s filters come from an index built once.
 */
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/model/content.ts';
import {
  escapeName,
  type SnapshotFiles,
  snapshotFiles,
  writeSnapshot,
} from '../../src/core/snapshot/index.ts';
import { chunkFile, chunkOf, paths } from '../../src/core/snapshot/names.ts';
import { profileFile } from '../../src/core/sync/profile.ts';
import { createLocalButter } from '../../src/index.ts';
import { content, facts } from './fixture.ts';

/** Pages of 4 kB each, every one referencing the brand item 10; posts by three authors. */
const PAGES = 400;
const POSTS = 300;
const AUTHORS = ['ann', 'bob', 'cyd'];

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'butter-budget-'));
  dir = join(root, '.buttercms');
  const big = content();
  const landing = big.locales[0]!.pageTypes['landing-page']!;
  for (let i = 0; i < PAGES; i++) {
    landing.push({
      ...landing[1]!,
      slug: `filler-${i}`,
      fields: {
        title: `Filler ${i}`,
        body: 'x'.repeat(4000),
        brand: '/v2/content/?keys=brands[_id=10]',
      },
    });
  }
  const [first] = big.blog.posts;
  for (let i = 0; i < POSTS; i++) {
    const author = AUTHORS[i % AUTHORS.length]!;
    big.blog.posts.push({
      ...(first as JsonObject),
      slug: `post-${i}`,
      author: { ...(first!.author as JsonObject), slug: author },
    } as never);
  }
  await writeSnapshot(dir, big, facts, { extraFiles: profileFile(big) });
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `files` with each read recorded in `reads` (`range:<path>` for one entity read alone). */
function recording(files: SnapshotFiles, reads: string[]): SnapshotFiles {
  return {
    ...files,
    readFile(path) {
      reads.push(path);
      return files.readFile(path);
    },
    readRange(path, start, end) {
      reads.push(`range:${path}`);
      return files.readRange!(path, start, end);
    },
  };
}

function chunkPath(files: SnapshotFiles, folder: string, name: string): string {
  return chunkFile(folder, chunkOf(escapeName(name), files.manifest.chunks[folder]!.length));
}

describe('answers', () => {
  it('are fresh copies: changing one changes no later answer', async () => {
    for (const cache of [undefined, 0]) {
      const butter = createLocalButter(dir, { cache });
      const calls = [
        () => butter.page.retrieve('landing-page', 'alpha', { levels: 2, locale: 'en' }),
        () => butter.page.retrieve('landing-page', 'alpha', { levels: 3, alt_media_text: 1 }),
        () => butter.page.list('landing-page', { levels: 2, page_size: 3 }),
        () => butter.content.retrieve(['brands'], { levels: 2 }),
        () => butter.post.retrieve('second'),
        () => butter.post.list({ alt_media_text: 1, page_size: 3 }),
        () => butter.author.retrieve('ann', { include: 'recent_posts', alt_media_text: 1 }),
        () => butter.category.list({ include: 'recent_posts' }),
      ];
      for (const call of calls) {
        const first = (await call()).data;
        const text = JSON.stringify(first);
        scramble(first);
        expect(JSON.stringify((await call()).data)).toBe(text);
      }
    }
  });
});

/** Changes every object and array inside `value`, as a careless caller might. */
function scramble(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) scramble(item);
    value.push('changed');
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) scramble(item);
    (value as Record<string, unknown>).changed = true;
  }
}

describe('a cache smaller than the snapshot', () => {
  it('reads an entity it dropped again alone, and keeps the item every page references', async () => {
    const reads: string[] = [];
    const files = recording(await snapshotFiles(dir), reads);
    // 0.5 MB: room for the chunks' line indexes and a fifth of the pages.
    const butter = createLocalButter(files, { cache: 0.5 });
    const slugs = Array.from({ length: PAGES }, (_, i) => `filler-${i}`);
    for (const slug of slugs) {
      const { data } = await butter.page.retrieve('landing-page', slug, {
        levels: 2,
        locale: 'en',
      });
      expect((data.data.fields.brand as JsonObject).name).toBe('Acme');
    }
    const folder = paths.pageFolder('en', 'landing-page');
    const brands = paths.itemFolder('en', 'brands');
    const chunks = new Set(slugs.map((slug) => chunkPath(files, folder, slug)));
    // Every chunk read whole once; the brand item's chunk once.
    expect(reads.filter((r) => chunks.has(r)).length).toBe(chunks.size);
    expect(reads.filter((r) => r === chunkPath(files, brands, '10'))).toHaveLength(1);

    // A second pass: the pages the cache dropped are read alone; the item stays in the cache.
    reads.length = 0;
    for (const slug of slugs)
      await butter.page.retrieve('landing-page', slug, { levels: 2, locale: 'en' });
    expect(reads.length).toBeGreaterThan(PAGES / 2);
    expect(reads.every((r) => r.startsWith(`range:${folder}/`))).toBe(true);

    // A chunk file changed since it was read whole (here only its time): its entities are not
    // read from it piecemeal, the file is read whole (and checked) again.
    const changed = chunkPath(files, folder, slugs[0]!);
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, changed), later, later);
    reads.length = 0;
    for (const slug of slugs)
      await butter.page.retrieve('landing-page', slug, { levels: 2, locale: 'en' });
    expect(reads.filter((r) => r === changed)).toHaveLength(1);
    expect(reads.filter((r) => r === `range:${changed}`).length).toBeGreaterThan(0);
  });
});

describe('post.list filters', () => {
  it('read every post once to index them, then only the page asked for', async () => {
    const reads: string[] = [];
    const files = recording(await snapshotFiles(dir), reads);
    // Nothing cached: what a call reads is what it needs.
    const butter = createLocalButter(files, { cache: 0 });
    const bob = await butter.post.list({ author_slug: 'bob', page_size: 5 });
    expect(bob.data.meta.count).toBe(POSTS / AUTHORS.length + 1);
    expect(bob.data.data.every((p) => p.author.slug === 'bob')).toBe(true);
    const folder = 'blog/posts';
    const all = files.manifest.chunks[folder]!.map((_, i) => chunkFile(folder, i));
    expect(new Set(reads.filter((r) => r.startsWith(folder)))).toEqual(new Set(all));

    reads.length = 0;
    const cyd = await butter.post.list({ author_slug: 'cyd', page: 3, page_size: 5 });
    const page = cyd.data.data.map((p) => p.slug);
    expect(page).toEqual(
      Array.from({ length: POSTS }, (_, i) => `post-${i}`)
        .filter((_, i) => AUTHORS[i % AUTHORS.length] === 'cyd')
        .slice(10, 15),
    );
    const needed = new Set(page.map((slug) => chunkPath(files, folder, slug)));
    expect(new Set(reads)).toEqual(needed);
  });
});
