/**
 * Snapshot format 2: every entity folder is stored as a bounded number of chunk files
 * (`<folder>/_chunk-<k>.json`, escaped name → entity), the manifest keeps one hash per entity
 * under its logical path (`<folder>/<name>.json`) and one per chunk file, and readers map a
 * logical path to its chunk. See "Snapshot layout" in docs/design.md.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { ButterError } from '../../src/core/errors.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { hashText, toJsonText } from '../../src/core/snapshot/hash.ts';
import {
  escapeName,
  type Manifest,
  openSnapshot,
  paths,
  readManifest,
  readSnapshot,
  type SnapshotContent,
  writeSnapshot,
} from '../../src/core/snapshot/index.ts';
import { chunkFolder, renderMembers } from '../../src/core/snapshot/layout.ts';
import {
  CHUNK_BYTES,
  CHUNK_ENTITIES,
  chunkCount,
  chunkFile,
  chunkOf,
} from '../../src/core/snapshot/names.ts';
import { sync } from '../../src/core/sync/index.ts';
import { createLocalButter } from '../../src/index.ts';
import { pageTypesOf } from '../sync/helpers.ts';
import { content, facts, withPosts } from './fixture.ts';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'butter-chunks-'));
  dir = join(root, '.buttercms');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `folder`: relative path → text. */
async function listFiles(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(folder, path), await readFile(path, 'utf8'));
  }
  return out;
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/** `count` posts of about `size` bytes each. */
function posts(count: number, size = 40): SnapshotContent['blog']['posts'] {
  return Array.from({ length: count }, (_, i) => ({
    slug: `post-${i}`,
    title: `Post ${i}`,
    body: `<p>${'x'.repeat(size)}</p>`,
  })) as never;
}

function blogOnly(list: SnapshotContent['blog']['posts']): SnapshotContent {
  const c = content();
  c.blog.posts = list;
  c.blog.recentPosts = { authors: {}, categories: {}, tags: {} };
  return c;
}

describe('chunkCount', () => {
  it('is the smallest power of two that keeps chunks within CHUNK_ENTITIES and CHUNK_BYTES on average', () => {
    const counts = [0, 1, 2, 127, 128, 129, 255, 256, 257, 1000, 5000, 18_000, 100_000];
    const sizes = [0, 10, 1000, 100_000, CHUNK_BYTES, 3 * CHUNK_BYTES, 50 * CHUNK_BYTES + 1];
    for (const count of counts) {
      for (const bytes of sizes) {
        const n = chunkCount(count, bytes);
        const at = `${count} entities, ${bytes} bytes → ${n}`;
        expect(isPowerOfTwo(n), at).toBe(true);
        expect(count / n, at).toBeLessThanOrEqual(CHUNK_ENTITIES);
        expect(bytes / n, at).toBeLessThanOrEqual(CHUNK_BYTES);
        // Half as many chunks would break one of the bounds.
        if (n > 1) {
          expect(count / (n / 2) > CHUNK_ENTITIES || bytes / (n / 2) > CHUNK_BYTES, at).toBe(true);
        }
      }
    }
    expect(chunkCount(0, 0)).toBe(1);
    expect(chunkCount(CHUNK_ENTITIES, 0)).toBe(1);
    expect(chunkCount(CHUNK_ENTITIES + 1, 0)).toBe(2);
    expect(chunkCount(1, CHUNK_BYTES + 1)).toBe(2);
  });
});

describe('chunkOf', () => {
  const names = Array.from({ length: 2000 }, (_, i) => escapeName(`slug-${i}`));

  it('puts a name in a chunk of the folder, the same one whatever else the folder holds', () => {
    for (const n of [1, 2, 4, 8, 64]) {
      for (const name of names) {
        const k = chunkOf(name, n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        expect(chunkOf(name, n)).toBe(k);
      }
    }
    // The same entity in two different folders of the same chunk count: same chunk file index.
    const members = (list: string[]) =>
      renderMembers(
        list.map((slug) => ({ slug })),
        (e) => e.slug as string,
      );
    const alone = [...chunkFolder('f', members(['kept', ...names.slice(0, 300)])).chunks];
    const other = [...chunkFolder('f', members([...names.slice(1000, 1300), 'kept'])).chunks];
    expect(alone.length).toBe(other.length);
    const k = chunkOf('kept', alone.length);
    for (const chunks of [alone, other]) {
      for (const [index, [path, text]] of chunks.entries()) {
        expect(path).toBe(chunkFile('f', index));
        expect(Object.hasOwn(JSON.parse(String(text)), 'kept')).toBe(index === k);
      }
    }
  });

  it('moves an entity from chunk k to k or k + n when a folder doubles its n chunks', () => {
    for (const n of [1, 2, 4, 8, 16]) {
      for (const name of names) {
        const k = chunkOf(name, n);
        expect([k, k + n]).toContain(chunkOf(name, 2 * n));
      }
    }
  });

  it('spreads names evenly enough that no chunk is far above the average', () => {
    const n = 16;
    const sizes = new Array<number>(n).fill(0);
    for (const name of names) sizes[chunkOf(name, n)]!++;
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan((2 * names.length) / n);
  });
});

describe('chunk files', () => {
  it('stores 5,000 posts in a bounded number of chunk files and reads every one back equal', async () => {
    const big = blogOnly(posts(5000));
    const result = await writeSnapshot(dir, big, facts);
    const files = await listFiles(dir);
    const postFiles = [...files.keys()].filter((p) => p.startsWith('blog/posts/'));
    const expected = result.manifest.chunks['blog/posts']!.length;
    expect(isPowerOfTwo(expected)).toBe(true);
    expect(expected).toBeLessThanOrEqual(64);
    expect(expected).toBeGreaterThanOrEqual(5000 / CHUNK_ENTITIES);
    expect(postFiles.sort()).toEqual(
      Array.from({ length: expected }, (_, i) => chunkFile('blog/posts', i)).sort(),
    );
    // No file per entity anywhere: entity folders hold chunk files only.
    for (const path of files.keys()) {
      if (
        /^(blog\/(posts|authors|categories|tags)|locales\/[^/]+\/(pages|collections)\/[^/]+)\//.test(
          path,
        )
      ) {
        expect(path, path).toMatch(/\/_chunk-\d+\.json$/);
      }
    }
    expect(files.size).toBeLessThan(100);
    // `counts.files` counts the files on disk, the manifest aside.
    expect(result.manifest.counts.files).toBe(files.size - 1);
    expect(result.files).toBe(files.size);
    // One logical hash per post, which depends on the post alone (not on its chunk's others).
    const logical = Object.keys(result.manifest.hashes).filter((p) => p.startsWith('blog/posts/'));
    expect(logical).toHaveLength(5000);
    expect(new Set(logical.map((p) => result.manifest.hashes[p])).size).toBe(5000);
    const alone = await writeSnapshot(
      join(root, 'alone'),
      blogOnly([big.blog.posts[4321]!]),
      facts,
    );
    expect(result.manifest.hashes[paths.post('post-4321')]).toBe(
      alone.manifest.hashes[paths.post('post-4321')],
    );
    // Each chunk is recorded in `chunks`, and every member sits in its chunkOf chunk.
    for (const [index, hash] of result.manifest.chunks['blog/posts']!.entries()) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      const text = files.get(chunkFile('blog/posts', index))!;
      const names = Object.keys(JSON.parse(text));
      expect(names).toEqual([...names].sort());
      for (const name of names) expect(chunkOf(name, expected)).toBe(index);
    }

    const back = await readSnapshot(dir);
    expect(back.content.blog.posts).toEqual(big.blog.posts);
    const reader = await openSnapshot(dir);
    expect(await reader.readJson(paths.post('post-4321'))).toEqual(big.blog.posts[4321]);
    expect(await reader.readJson(paths.post('no-such-post'))).toBeUndefined();
  });

  it('gives a folder of large entities more chunks, within CHUNK_BYTES on average', async () => {
    const large = blogOnly(posts(40, 100_000));
    const result = await writeSnapshot(dir, large, facts);
    const chunks = result.manifest.chunks['blog/posts']!;
    expect(chunks.length).toBeGreaterThan(1);
    let bytes = 0;
    for (const index of chunks.keys()) {
      bytes += (await stat(join(dir, chunkFile('blog/posts', index)))).size;
    }
    expect(bytes / chunks.length).toBeLessThanOrEqual(CHUNK_BYTES * 1.01);
    expect((await readSnapshot(dir)).content.blog.posts).toEqual(large.blog.posts);
  });

  it('writes byte-identical chunk files for the same content, whatever the listing order', async () => {
    const forward = withPosts(content(), 400);
    const firstWrite = await writeSnapshot(dir, forward, facts, { now: new Date(0) });
    const reversed = withPosts(content(), 400);
    reversed.blog.posts.reverse();
    const other = join(root, 'other');
    const secondWrite = await writeSnapshot(other, reversed, facts, { now: new Date(5000) });
    const first = await listFiles(dir);
    const second = await listFiles(other);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    const chunkPaths = [...first.keys()].filter((p) => p.includes('/_chunk-'));
    expect(chunkPaths.filter((p) => p.startsWith('blog/posts/')).length).toBeGreaterThan(1);
    for (const path of chunkPaths) expect(second.get(path), path).toBe(first.get(path));
    expect(secondWrite.manifest.chunks).toEqual(firstWrite.manifest.chunks);
    expect(secondWrite.manifest.hashes[paths.post('a-post')]).toBe(
      firstWrite.manifest.hashes[paths.post('a-post')],
    );
    // The listing order lives in the index, not in the chunks.
    expect(second.get(paths.blogIndex)).not.toBe(first.get(paths.blogIndex));
    expect((await readSnapshot(other)).content.blog.posts).toEqual(reversed.blog.posts);
  });

  it('keeps an unchanged entity’s logical hash when others change and when its folder re-buckets', async () => {
    const first = await writeSnapshot(dir, withPosts(content(), 100), facts);
    expect(first.manifest.chunks['blog/posts']).toHaveLength(1);
    // One post edited and 200 added: the folder goes from one chunk to four.
    const grown = withPosts(content(), 300);
    grown.blog.posts[1]!.title = 'A, edited';
    const second = await writeSnapshot(dir, grown, facts);
    expect(second.manifest.chunks['blog/posts']).toHaveLength(4);
    const changed = Object.keys(first.manifest.hashes).filter(
      (path) => second.manifest.hashes[path] !== first.manifest.hashes[path],
    );
    expect(changed.sort()).toEqual([paths.blogIndex, paths.post('a-post')].sort());
  });

  it('keeps hostile names as plain members of their chunk, never touching prototypes', async () => {
    const hostile = ['__proto__', 'constructor', '../x', 'toString', 'hasOwnProperty', '_chunk-0'];
    const c = content();
    c.blog.posts = hostile.map((slug, i) => ({ slug, title: `T${i}`, polluted: true })) as never;
    c.blog.recentPosts = { authors: {}, categories: {}, tags: {} };
    const result = await writeSnapshot(dir, c, facts);
    const files = await listFiles(dir);
    expect([...files.keys()].filter((p) => p.startsWith('blog/posts/'))).toEqual([
      chunkFile('blog/posts', 0),
    ]);
    const chunk = JSON.parse(files.get(chunkFile('blog/posts', 0))!) as Record<string, unknown>;
    expect(Object.keys(chunk).sort()).toEqual(hostile.map(escapeName).sort());
    expect(Object.keys(chunk)).toContain('constructor');
    for (const slug of hostile) {
      expect(result.manifest.hashes[paths.post(slug)], slug).toMatch(/^[0-9a-f]{64}$/);
    }
    const reader = await openSnapshot(dir);
    for (const [i, slug] of hostile.entries()) {
      expect(await reader.readJson(paths.post(slug)), slug).toEqual(c.blog.posts[i]);
    }
    // Names no post has, whatever Object.prototype holds under them, are not found.
    for (const name of ['valueOf', 'isPrototypeOf', '__defineGetter__']) {
      expect(await reader.readJson(paths.post(name)), name).toBeUndefined();
    }
    // A raw (unescaped) `__proto__` path is no member either.
    expect(await reader.readJson('blog/posts/__proto__.json')).toBeUndefined();
    expect(await reader.readJson('constructor.json')).toBeUndefined();
    expect((await readSnapshot(dir)).content.blog.posts).toEqual(c.blog.posts);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('counts every file on disk in counts.files and records each chunk in chunks', async () => {
    const result = await writeSnapshot(dir, content(), facts, {
      extraFiles: { 'types.lock.json': '{}\n' },
    });
    const files = await listFiles(dir);
    const { manifest } = result;
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.counts.files).toBe(files.size - 1);
    const chunkPaths = Object.entries(manifest.chunks).flatMap(([folder, hashes]) =>
      hashes.map((_, i) => chunkFile(folder, i)),
    );
    const plain = [...files.keys()].filter((p) => !p.includes('/_chunk-') && p !== 'manifest.json');
    expect([...chunkPaths, ...plain].sort()).toEqual(
      [...files.keys()].filter((p) => p !== 'manifest.json').sort(),
    );
    // `hashes` holds the plain files and every entity's logical path, never a chunk file.
    for (const path of plain) expect(manifest.hashes[path], path).toBe(hashText(files.get(path)!));
    expect(Object.keys(manifest.hashes).some((p) => p.includes('/_chunk-'))).toBe(false);
    for (const path of [paths.author('jo'), paths.item('en', 'faq', 2), paths.post('a-post')]) {
      expect(manifest.hashes[path], path).toMatch(/^[0-9a-f]{64}$/);
    }
    // Folders without entities have no chunks (the French `faq` collection is empty).
    expect(Object.hasOwn(manifest.chunks, paths.itemFolder('FR', 'faq'))).toBe(false);
  });
});

describe('lists said unchanged (WriteOptions.unchanged)', () => {
  it('keeps their folders as the previous snapshot stores them, never rendering them', async () => {
    const first = withPosts(content(), 300);
    await writeSnapshot(dir, first, facts);
    const before = (await readManifest(dir))!;
    const inodes = new Map<string, number>();
    for (const path of (await listFiles(dir)).keys()) {
      inodes.set(path, (await stat(join(dir, path))).ino);
    }
    // The same posts as the write would see them, each failing if it were rendered: kept, the
    // folder's chunk files are linked as they are; an author edited elsewhere makes the write.
    const posts = first.blog.posts.map(
      (post) =>
        ({
          ...post,
          toJSON: () => {
            throw new Error('rendered');
          },
        }) as unknown as JsonObject,
    );
    const second = { ...first, blog: { ...first.blog, posts } };
    second.blog.authors = [{ ...first.blog.authors[0]!, bio: 'edited' }];
    const result = await writeSnapshot(dir, second, facts, { unchanged: new Set([posts]) });
    expect(result.changed).toBe(true);
    const after = result.manifest;
    expect(after.chunks['blog/posts']).toEqual(before.chunks['blog/posts']);
    expect(after.counts).toEqual(before.counts);
    for (const [path, hash] of Object.entries(before.hashes)) {
      if (path.startsWith('blog/posts/')) expect(after.hashes[path], path).toBe(hash);
    }
    const count = before.chunks['blog/posts']!.length;
    for (let i = 0; i < count; i++) {
      const path = chunkFile('blog/posts', i);
      expect((await stat(join(dir, path))).ino, path).toBe(inodes.get(path));
    }
    const read = await readSnapshot(dir);
    expect(read.content.blog.posts).toEqual(first.blog.posts);
    expect(read.content.blog.authors[0]).toMatchObject({ bio: 'edited' });
  });

  it('stores a list as any other when the previous snapshot has no such folder', async () => {
    await writeSnapshot(dir, content(), facts);
    const grown = content();
    const fresh = [{ slug: 'new', page_type: 'fresh', fields: { title: 'New' } }];
    grown.locales[0]!.pageTypes.fresh = fresh;
    await writeSnapshot(dir, grown, facts, { unchanged: new Set([fresh]) });
    const read = await readSnapshot(dir);
    expect(read.content.locales[0]!.pageTypes.fresh).toEqual(fresh);
  });
});

describe('a snapshot of format 1', () => {
  /** A format-1 snapshot: one file per entity, a manifest without `chunks`. */
  async function writeFormat1(folder: string): Promise<void> {
    const post = { slug: 'old-post', title: 'Old' };
    const text = toJsonText(post);
    await mkdir(join(folder, 'blog/posts'), { recursive: true });
    await writeFile(join(folder, 'blog/posts/old-post.json'), text);
    const index = toJsonText({
      posts: ['old-post'],
      authors: [],
      categories: [],
      tags: [],
      recentPosts: { authors: {}, categories: {}, tags: {} },
    });
    await writeFile(join(folder, 'blog/index.json'), index);
    await writeFile(join(folder, 'probes.json'), toJsonText({ embedded: [] }));
    const manifest: Omit<Manifest, 'formatVersion' | 'chunks'> & { formatVersion: 1 } = {
      formatVersion: 1,
      source: facts.source,
      levels: 2,
      locales: [],
      preview: false,
      optionsDigest: '0000000000000000',
      counts: {
        locales: 0,
        singlePages: 0,
        pages: 0,
        items: 0,
        pageTypes: 0,
        collections: 0,
        posts: 1,
        authors: 0,
        categories: 0,
        tags: 0,
        files: 3,
      },
      hashes: {
        'blog/index.json': hashText(index),
        'blog/posts/old-post.json': hashText(text),
        'probes.json': hashText(toJsonText({ embedded: [] })),
      },
      syncedAt: new Date(0).toISOString(),
      discovered: { pageTypes: [], collections: [] },
    };
    await writeFile(join(folder, 'manifest.json'), toJsonText(manifest));
  }

  it('is not read: the error says to sync again', async () => {
    await writeFormat1(dir);
    const error = await openSnapshot(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ButterError);
    expect(error).toMatchObject({ code: 'SNAPSHOT' });
    expect((error as ButterError).message).toMatch(/older format/);
    expect((error as ButterError).hint).toMatch(/butter-sync|sync/);
    expect(await readManifest(dir)).toBeUndefined();
    await expect(readSnapshot(dir)).rejects.toMatchObject({ code: 'SNAPSHOT' });
    await expect(createLocalButter(dir).post.list()).rejects.toMatchObject({ code: 'SNAPSHOT' });
  });

  it('is replaced whole by the next write', async () => {
    await writeFormat1(dir);
    const result = await writeSnapshot(dir, content(), facts);
    expect(result.changed).toBe(true);
    expect(result.reused).toBe(0);
    await result.removed;
    const files = await listFiles(dir);
    expect(files.has('blog/posts/old-post.json')).toBe(false);
    expect(files.has(chunkFile('blog/posts', 0))).toBe(true);
    expect((await readManifest(dir))?.formatVersion).toBe(2);
    expect((await readSnapshot(dir)).content).toEqual(content());
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });
});

describe('syncing twice', () => {
  let fake: FakeButter;
  beforeAll(async () => {
    fake = await startFakeButter({ account: 'generated:pages=60,posts=400,items=40,seed=11' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('keeps the logical hash of every unchanged entity and rewrites only the changed chunk', async () => {
    const options = {
      token: fake.token,
      apiUrl: fake.apiUrl,
      out: dir,
      pageTypes: pageTypesOf(fake.account),
      media: false,
      types: false as const,
    };
    await sync(options);
    const before = (await readManifest(dir))!;
    const count = before.chunks['blog/posts']!.length;
    expect(count).toBeGreaterThan(1);
    const inodes = new Map<string, number>();
    for (const path of (await listFiles(dir)).keys()) {
      inodes.set(path, (await stat(join(dir, path))).ino);
    }

    const slug = fake.account.posts.find((p) => p.status === 'published')!.slug;
    fake.updateAccount((a) => {
      // As an editor edits: the title, and `updated` with it.
      const post = a.posts.find((p) => p.slug === slug)!;
      post.title = 'Edited between two syncs';
      post.updated = new Date().toISOString();
    });
    await sync(options);
    const after = (await readManifest(dir))!;
    const changed = Object.keys(after.hashes).filter(
      (path) => after.hashes[path] !== before.hashes[path],
    );
    expect(changed).toEqual([paths.post(slug)]);
    expect(Object.keys(after.hashes).sort()).toEqual(Object.keys(before.hashes).sort());
    const k = chunkOf(escapeName(slug), count);
    const movedChunks = after.chunks['blog/posts']!.flatMap((hash, i) =>
      hash === before.chunks['blog/posts']![i] ? [] : [i],
    );
    expect(movedChunks).toEqual([k]);
    const rewritten: string[] = [];
    for (const path of (await listFiles(dir)).keys()) {
      if ((await stat(join(dir, path))).ino !== inodes.get(path)) rewritten.push(path);
    }
    expect(rewritten.sort()).toEqual([chunkFile('blog/posts', k), 'manifest.json']);
    const reader = await openSnapshot(dir);
    expect(await reader.readJson(paths.post(slug))).toMatchObject({
      title: 'Edited between two syncs',
    });
  }, 60_000);
});
