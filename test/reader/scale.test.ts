/**
 * The reader's cost does not grow with the account, checked structurally (no timing): on a
 * generated account of thousands of entities, a call reads the files its answer needs — the
 * entity's chunk file and those of the entities it references — and nothing else; the cache
 * keeps them within its budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeButter } from '../../fixtures/server/index.ts';
import { parseRef } from '../../src/core/model/refs.ts';
import { refsOf } from '../../src/core/reader/expand.ts';
import { readSnapshot, type SnapshotFiles, snapshotFiles } from '../../src/core/snapshot/index.ts';
import { chunkFile, chunkOf, paths } from '../../src/core/snapshot/names.ts';
import { sync } from '../../src/core/sync/index.ts';
import { createLocalButter } from '../../src/index.ts';

const SPEC = 'generated:pages=3000,posts=2000,items=600,seed=5';

let root: string;
let dir: string;
beforeAll(async () => {
  const fake = await startFakeButter({ account: SPEC });
  root = await mkdtemp(join(tmpdir(), 'butter-reader-scale-'));
  dir = join(root, '.buttercms');
  try {
    await sync(
      {
        token: fake.token,
        apiUrl: fake.apiUrl,
        out: dir,
        root,
        pageTypes: [...new Set(fake.account.pages.flatMap((p) => p.pageType ?? []))],
        collections: Object.keys(fake.account.collections),
        media: false,
        types: false,
      },
      { env: {} },
    );
  } finally {
    await fake.close();
  }
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The snapshot's files, each read recorded. */
async function recorded(): Promise<{ files: SnapshotFiles; reads: string[] }> {
  const files = await snapshotFiles(dir);
  const reads: string[] = [];
  return {
    reads,
    files: {
      ...files,
      readFile: (path) => {
        reads.push(path);
        return files.readFile(path);
      },
    },
  };
}

/** The chunk file that holds the entity at a logical path. */
function chunkPath(files: SnapshotFiles, path: string): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash);
  const count = files.manifest.chunks[folder]!.length;
  return chunkFile(folder, chunkOf(path.slice(slash + 1, -'.json'.length), count));
}

describe('reader at scale', () => {
  it('retrieves an entity reading its chunk and its references’ chunks, nothing else', async () => {
    const { content } = await readSnapshot(dir);
    const { files, reads } = await recorded();
    expect(Object.values(files.manifest.chunks).flat().length).toBeGreaterThan(40);
    const [type, pages] = Object.entries(content.locales[0]!.pageTypes)[0]!;
    // Pages that reference others, each with the chunk files a `levels=2` answer needs.
    const needs = pages.flatMap((page) => {
      const refs = refsOf(page, 'page').flatMap((uri) => parseRef(uri) ?? []);
      if (refs.length < 2) return [];
      const own = chunkPath(files, paths.page(null, type, page.slug as string));
      const referenced = refs.map((ref) => chunkPath(files, paths.entity(ref, null)));
      return [{ slug: page.slug as string, chunks: new Set([own, ...referenced]) }];
    });
    expect(needs.length).toBeGreaterThan(10);

    const butter = createLocalButter(files);
    const first = needs[0]!;
    await butter.page.retrieve(type, first.slug, { levels: 2 });
    expect(new Set(reads)).toEqual(
      new Set([paths.localeIndex(null), 'profile.json', ...first.chunks]),
    );
    // The next one reads only the chunks not read yet: indexes and chunks are kept.
    const second = needs[1]!;
    reads.length = 0;
    await butter.page.retrieve(type, second.slug, { levels: 2 });
    expect(new Set(reads)).toEqual(new Set([...second.chunks].filter((c) => !first.chunks.has(c))));

    // A post: its chunk and its neighbours' (next_post / previous_post).
    const slugs = content.blog.posts.map((p) => p.slug as string);
    const middle = Math.floor(slugs.length / 2);
    reads.length = 0;
    await butter.post.retrieve(slugs[middle]!);
    const postChunks = [middle - 1, middle, middle + 1].map((i) =>
      chunkPath(files, paths.post(slugs[i]!)),
    );
    expect(new Set(reads)).toEqual(new Set([paths.blogIndex, ...postChunks]));
  });

  it('lists a page of a listing reading the chunks of that page’s entities only', async () => {
    const { content } = await readSnapshot(dir);
    const { files, reads } = await recorded();
    const butter = createLocalButter(files);
    const posts = content.blog.posts.map((p) => p.slug as string);
    const page = 7;
    const listed = await butter.post.list({ page, page_size: 10 });
    const wanted = posts.slice(60, 70);
    expect(listed.data.data.map((p) => p.slug)).toEqual(wanted);
    expect(new Set(reads)).toEqual(
      new Set([
        paths.blogIndex,
        'profile.json',
        ...wanted.map((slug) => chunkPath(files, paths.post(slug))),
      ]),
    );
  });

  it('keeps no more than its budget: with none, each call reads its chunks again', async () => {
    const { content } = await readSnapshot(dir);
    const slug = content.blog.posts[0]!.slug as string;
    const own = async (cache: number | undefined) => {
      const { files, reads } = await recorded();
      const butter = createLocalButter(files, { cache });
      const first = await butter.post.retrieve(slug);
      const again = await butter.post.retrieve(slug);
      expect(again.data).toEqual(first.data);
      return reads.filter((r) => r === chunkPath(files, paths.post(slug))).length;
    };
    expect(await own(undefined)).toBe(1);
    expect(await own(0)).toBe(2);
    expect(() => createLocalButter(dir, { cache: -1 })).toThrow(/cache/);
  });
});
