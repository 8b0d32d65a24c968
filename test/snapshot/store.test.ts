import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  escapeName,
  readManifest,
  readSnapshot,
  unescapeName,
  writeSnapshot,
} from '../../src/core/snapshot/index.ts';
import { chunkFile, chunkOf } from '../../src/core/snapshot/names.ts';
import { content, facts, withPosts } from './fixture.ts';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'butter-store-'));
  dir = join(root, '.buttercms');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function listFiles(folder: string): Promise<Map<string, { text: string; mtime: number }>> {
  const out = new Map<string, { text: string; mtime: number }>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(folder, path), {
      text: await readFile(path, 'utf8'),
      mtime: (await stat(path)).mtimeMs,
    });
  }
  return out;
}

describe('escapeName', () => {
  it('is injective, reversible and never leaves the folder', () => {
    const names = [
      '../x',
      'a/b',
      '/abs',
      'CON',
      'con',
      'Foo',
      'foo',
      'a\0b',
      '__proto__',
      '',
      '.',
      '..',
      '~',
      'é',
      '_x',
      // Lone surrogates: UTF-8 cannot encode them (an encoder makes each one U+FFFD).
      'x\ud800',
      'x\udfff',
      'x\ufffd',
      '\udc00_x',
      'x\ud83d\ude00',
      `${'y'.repeat(130)}\ud800`,
      `${'y'.repeat(130)}\udfff`,
    ];
    const escaped = names.map(escapeName);
    expect(new Set(escaped.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const [i, name] of escaped.entries()) {
      expect(name).toMatch(/^[a-z0-9_~-]+$/);
      expect(name.startsWith('_')).toBe(false);
      // Names past 120 characters end in a hash: not reversible, still distinct.
      if (!name.includes('~~')) expect(unescapeName(name)).toBe(names[i]);
    }
    // Any string of UTF-16 code units, lone surrogates included: distinct names stay distinct.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }),
        fc.string({
          unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((u) => String.fromCharCode(u)),
        }),
        (a, b) => {
          const escaped = escapeName(a + b);
          if (!escaped.includes('~~')) expect(unescapeName(escaped)).toBe(a + b);
          if (a !== b) expect(escapeName(a)).not.toBe(escapeName(b));
        },
      ),
    );
    expect(escapeName('con')).not.toBe('con');
    expect(escapeName('landing-page')).toBe('landing-page');
  });
});

describe('writeSnapshot / readSnapshot', () => {
  it('round-trips the content', async () => {
    const result = await writeSnapshot(dir, content(), facts, { now: new Date(0) });
    expect(result.changed).toBe(true);
    const back = await readSnapshot(dir);
    expect(back.content).toEqual(content());
    expect(back.manifest).toEqual(result.manifest);
    expect(back.manifest.syncedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(back.manifest.locales).toEqual(['en', 'FR']);
    expect(await readManifest(dir)).toEqual(result.manifest);
  });

  it('keeps hostile slugs inside the folder, distinct, as plain data', async () => {
    await writeSnapshot(dir, content(), facts);
    const files = await listFiles(dir);
    for (const path of files.keys()) expect(resolve(dir, path).startsWith(`${dir}/`)).toBe(true);
    const lower = [...files.keys()].map((p) => p.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    const { content: back } = await readSnapshot(dir);
    const en = back.locales[0]!;
    expect(en.pageTypes['landing-page']!.map((p) => p.slug)).toEqual(
      content().locales[0]!.pageTypes['landing-page']!.map((p) => p.slug),
    );
    expect(Object.hasOwn(en.pageTypes, '__proto__')).toBe(true);
    expect(Object.hasOwn(en.collections, 'constructor')).toBe(true);
    expect(Object.hasOwn(back.blog.recentPosts.categories, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('writes byte-identical files for the same content', async () => {
    await writeSnapshot(dir, content(), facts, { now: new Date(0) });
    const first = await listFiles(dir);
    const other = join(root, 'other');
    await writeSnapshot(other, content(), facts, { now: new Date(1000) });
    const second = await listFiles(other);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [path, { text }] of first) {
      if (path === 'manifest.json') continue;
      expect(second.get(path)!.text, path).toBe(text);
    }
  });

  it('writes nothing when the content is unchanged', async () => {
    await writeSnapshot(dir, content(), facts, { now: new Date(0) });
    const before = await listFiles(dir);
    await new Promise((r) => setTimeout(r, 20));
    const again = await writeSnapshot(dir, content(), facts, { now: new Date(5000) });
    expect(again.changed).toBe(false);
    expect(again.files).toBe(0);
    const after = await listFiles(dir);
    expect(after).toEqual(before);
    expect((await readManifest(dir))!.syncedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('rewrites when the content changes, carrying media/ over untouched', async () => {
    await writeSnapshot(dir, content(), facts);
    await writeFile(join(dir, 'media-probe.txt'), 'stale');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'media'));
    await writeFile(join(dir, 'media', 'a.bin'), 'bytes');
    const changed = content();
    changed.blog.posts[0]!.title = 'B2';
    const result = await writeSnapshot(dir, changed, facts);
    expect(result.changed).toBe(true);
    expect(await readFile(join(dir, 'media', 'a.bin'), 'utf8')).toBe('bytes');
    await expect(stat(join(dir, 'media-probe.txt'))).rejects.toThrow();
    expect((await readSnapshot(dir)).content.blog.posts[0]!.title).toBe('B2');
    await result.removed;
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });

  it('links unchanged chunk files from the previous snapshot and writes only the changed ones', async () => {
    // 300 more posts: `blog/posts` spans several chunk files.
    const many = () => withPosts(content(), 300);
    const first = await writeSnapshot(dir, many(), facts, { now: new Date(0) });
    const count = first.manifest.chunks['blog/posts']!.length;
    expect(count).toBeGreaterThan(1);
    const before = await listFiles(dir);
    const inodes = new Map<string, number>();
    for (const path of before.keys()) inodes.set(path, (await stat(join(dir, path))).ino);
    const changed = many();
    changed.blog.posts[0]!.title = 'B2';
    const result = await writeSnapshot(dir, changed, facts, { now: new Date(1000) });
    await result.removed;
    const after = await listFiles(dir);
    const rewritten: string[] = [];
    for (const path of after.keys()) {
      if ((await stat(join(dir, path))).ino !== inodes.get(path)) rewritten.push(path);
    }
    // Only the chunk holding `b-post` (and the manifest) is new; its sibling chunks are links.
    const changedChunk = chunkFile('blog/posts', chunkOf('b-post', count));
    expect(rewritten.sort()).toEqual([changedChunk, 'manifest.json']);
    expect(result.reused).toBe(result.files - 2);
    // The manifest moved for that entity and that chunk only.
    const moved = Object.entries(result.manifest.hashes).filter(
      ([path, hash]) => first.manifest.hashes[path] !== hash,
    );
    expect(moved.map(([path]) => path)).toEqual(['blog/posts/b-post.json']);
    const chunks = result.manifest.chunks['blog/posts']!;
    expect(chunks.filter((h, i) => h !== first.manifest.chunks['blog/posts']![i])).toEqual([
      chunks[chunkOf('b-post', count)],
    ]);
    // Same bytes as a write into a fresh folder.
    const fresh = join(root, 'fresh');
    await writeSnapshot(fresh, changed, facts, { now: new Date(1000) });
    const expected = await listFiles(fresh);
    for (const [path, { text }] of expected) expect(after.get(path)?.text, path).toBe(text);
    expect(after.size).toBe(expected.size);
  });

  it('renders a chunk file again when the previous snapshot lost it', async () => {
    const many = () => withPosts(content(), 300);
    const first = await writeSnapshot(dir, many(), facts);
    const count = first.manifest.chunks['blog/posts']!.length;
    expect(count).toBeGreaterThan(1);
    // A whole folder's only chunk, and a chunk of `blog/posts` that does not hold `b-post`.
    const other = (chunkOf('b-post', count) + 1) % count;
    const lost = [chunkFile('blog/authors', 0), chunkFile('blog/posts', other)];
    const texts = new Map<string, string>();
    for (const path of lost) {
      texts.set(path, await readFile(join(dir, path), 'utf8'));
      await rm(join(dir, path));
    }
    expect(JSON.parse(texts.get(lost[0]!)!)).toHaveProperty('jo');
    const changed = many();
    changed.blog.posts[0]!.title = 'B2';
    const result = await writeSnapshot(dir, changed, facts);
    for (const path of lost)
      expect(await readFile(join(dir, path), 'utf8'), path).toBe(texts.get(path));
    expect(result.reused).toBe(result.files - 2 - lost.length);
    expect((await readSnapshot(dir)).content).toEqual(changed);
    await result.removed;
  });

  it('leaves the previous snapshot intact when a write fails midway', async () => {
    await writeSnapshot(dir, content(), facts, { now: new Date(0) });
    const before = await listFiles(dir);
    const changed = content();
    changed.blog.posts[0]!.title = 'never written';
    // `x` is a file, so writing `x/y` fails after every chunk file was written.
    await expect(
      writeSnapshot(dir, changed, facts, { extraFiles: { x: 'file', 'x/y': 'under a file' } }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT' });
    expect(await listFiles(dir)).toEqual(before);
    expect((await readSnapshot(dir)).content).toEqual(content());
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });

  it('rejects extra files that would leave the folder or overwrite store files', async () => {
    for (const path of [
      '../evil',
      '/abs',
      'locales/x.json',
      'media/a',
      'a/../b',
      'manifest.json',
    ]) {
      await expect(
        writeSnapshot(dir, content(), facts, { extraFiles: { [path]: '' } }),
      ).rejects.toMatchObject({
        code: 'SNAPSHOT',
      });
    }
    await writeSnapshot(dir, content(), facts, { extraFiles: { 'types.lock.json': '{}\n' } });
    expect((await readManifest(dir))!.hashes['types.lock.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a snapshot whose swap was interrupted, and finishes the swap on the next write', async () => {
    const { rename } = await import('node:fs/promises');
    await writeSnapshot(dir, content(), facts);
    await rename(dir, `${dir}.previous`);
    expect((await readSnapshot(dir)).content).toEqual(content());
    const again = await writeSnapshot(dir, content(), facts);
    expect(again.changed).toBe(false);
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });

  it('marks a preview snapshot in the manifest', async () => {
    const result = await writeSnapshot(dir, content(), { ...facts, preview: true });
    expect(result.manifest.preview).toBe(true);
    expect(result.manifest.counts).toMatchObject({ locales: 2, posts: 2, authors: 1 });
  });
});

describe('stale temporary folders', () => {
  it('removes the temporary folder of a writer that is no longer running', async () => {
    const { mkdir } = await import('node:fs/promises');
    const stale = `${dir}.tmp-2147483646-dead`;
    await mkdir(join(stale, 'blog'), { recursive: true });
    await writeSnapshot(dir, content(), facts);
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });

  it('removes the trash folder a writer that is no longer running left behind', async () => {
    const { mkdir } = await import('node:fs/promises');
    const trash = `${dir}.trash-2147483646-dead`;
    await mkdir(join(trash, 'blog'), { recursive: true });
    await writeSnapshot(dir, content(), facts);
    expect((await readdir(root)).sort()).toEqual(['.buttercms']);
  });
});

describe('many files', () => {
  it('reads thousands of entities back without running out of file handles', async () => {
    const big = content();
    big.blog.posts = Array.from({ length: 3000 }, (_, i) => ({ slug: `p-${i}`, title: `P${i}` }));
    big.blog.recentPosts = { authors: {}, categories: {}, tags: {} };
    await writeSnapshot(dir, big, facts);
    const back = await readSnapshot(dir);
    expect(back.content.blog.posts).toHaveLength(3000);
    expect(back.content.blog.posts[2999]).toEqual({ slug: 'p-2999', title: 'P2999' });
  });
});
