/**
 * Reading a snapshot back: the manifest alone, one file at a time (the lazy reader), or the
 * whole content (types and media stages). A swap interrupted by a killed process is read
 * from the folder it parked the previous snapshot in.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ButterError } from '../errors.ts';
import { chunkedReader } from './chunked.ts';
import { type BlogIndex, hasOwn, type LocaleIndex } from './layout.ts';
import { type Manifest, parseManifest } from './manifest.ts';
import type { JsonObject, LocaleContent, ProfileProbes, SnapshotContent } from './model.ts';
import { paths } from './names.ts';
import { matchesManifest } from './verify.ts';
import { previousFolder } from './write.ts';

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The folder to read: `dir`, or the parked previous snapshot if a swap was interrupted. */
async function resolveDir(dir: string): Promise<string> {
  if (await isDir(dir)) return dir;
  const previous = previousFolder(dir);
  return (await isDir(previous)) ? previous : dir;
}

function snapshotError(message: string, cause?: unknown): ButterError {
  return new ButterError(message, {
    code: 'SNAPSHOT',
    hint: 'Run `butter-sync` (or the build, which syncs) to write the snapshot again.',
    cause,
  });
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(await resolveDir(dir), paths.manifest), 'utf8');
  } catch {
    return undefined;
  }
  return parseManifest(text);
}

/** Lazy access to one snapshot's files, for the reader. */
export interface SnapshotFiles {
  dir: string;
  manifest: Manifest;
  /**
   * Parsed JSON of a relative path (an entity's logical path, read from its chunk, or a plain
   * file), or `undefined` when there is none. An entity's object is shared by every caller.
   */
  readJson(path: string): Promise<unknown>;
}

/** Files read at once: enough to keep the disk busy, far below the open-files limit. */
const READ_CONCURRENCY = 64;

function limiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function openSnapshot(dir: string): Promise<SnapshotFiles> {
  const root = await resolveDir(dir);
  const limit = limiter(READ_CONCURRENCY);
  const manifest = await readManifest(root);
  if (!manifest) {
    throw snapshotError(
      `no ButterCMS snapshot in ${dir} (manifest.json missing, unreadable or of an older format)`,
    );
  }
  const readFileJson = async (path: string): Promise<unknown> => {
    let bytes: Buffer;
    try {
      bytes = await limit(() => readFile(join(root, path)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw snapshotError(`cannot read ${path} in the snapshot ${dir}`, error);
    }
    if (!matchesManifest(manifest, path, bytes)) {
      throw snapshotError(
        `${path} in the snapshot ${dir} is damaged: its bytes are not those manifest.json records`,
      );
    }
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw snapshotError(`${path} in the snapshot ${dir} is not valid JSON`, error);
    }
  };
  return {
    dir: root,
    manifest,
    readJson: chunkedReader(manifest, readFileJson, (path) =>
      snapshotError(`${path} is missing from the snapshot ${dir} or damaged`),
    ),
  };
}

async function required<T>(files: SnapshotFiles, path: string): Promise<T> {
  const value = await files.readJson(path);
  if (value === undefined) throw snapshotError(`${path} is missing from the snapshot ${files.dir}`);
  return value as T;
}

function record<T>(
  source: Record<string, T>,
  map: (key: string, value: T) => T,
): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(source)) {
    if (hasOwn(source, key)) out[key] = map(key, source[key] as T);
  }
  return out;
}

async function readLocale(files: SnapshotFiles, locale: string | null): Promise<LocaleContent> {
  const index = await required<LocaleIndex>(files, paths.localeIndex(locale));
  const load = (path: string) => required<JsonObject>(files, path);
  const singlePages = await Promise.all(
    index.singlePages.map((s) => load(paths.singlePage(locale, s))),
  );
  const pageTypes = Object.create(null) as LocaleContent['pageTypes'];
  for (const type of Object.keys(index.pageTypes)) {
    const slugs = index.pageTypes[type] ?? [];
    pageTypes[type] = await Promise.all(slugs.map((s) => load(paths.page(locale, type, s))));
  }
  const collections = Object.create(null) as LocaleContent['collections'];
  for (const key of Object.keys(index.collections)) {
    const ids = index.collections[key] ?? [];
    collections[key] = await Promise.all(ids.map((id) => load(paths.item(locale, key, id))));
  }
  return { locale, singlePages, pageTypes, collections };
}

/** Loads the whole snapshot into memory. */
export async function readSnapshot(
  dir: string,
): Promise<{ content: SnapshotContent; manifest: Manifest }> {
  const files = await openSnapshot(dir);
  const locales: LocaleContent[] = [];
  for (const locale of files.manifest.locales) locales.push(await readLocale(files, locale));
  const blogIndex = await required<BlogIndex>(files, paths.blogIndex);
  const load = (path: (slug: string) => string) => (slug: string) =>
    required<JsonObject>(files, path(slug));
  const copy = (r: Record<string, string[]>) => record(r, (_key, value) => [...value]);
  const content: SnapshotContent = {
    locales,
    blog: {
      posts: await Promise.all(blogIndex.posts.map(load(paths.post))),
      authors: await Promise.all(blogIndex.authors.map(load(paths.author))),
      categories: await Promise.all(blogIndex.categories.map(load(paths.category))),
      tags: await Promise.all(blogIndex.tags.map(load(paths.tag))),
      recentPosts: {
        authors: copy(blogIndex.recentPosts.authors),
        categories: copy(blogIndex.recentPosts.categories),
        tags: copy(blogIndex.recentPosts.tags),
      },
    },
    probes: await required<ProfileProbes>(files, paths.probes),
  };
  return { content, manifest: files.manifest };
}
