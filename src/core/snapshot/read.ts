/**
 * Reading a snapshot back from its folder: the manifest alone, its files for the reader
 * (`snapshotFiles`, `openSnapshot`), or the whole content (types and media stages, partial syncs). A swap interrupted by a killed process is read
 * from the folder it parked the previous snapshot in.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  EntityList,
  JsonObject,
  LocaleContent,
  ProfileProbes,
  SnapshotContent,
} from '../model/content.ts';
import { type SnapshotFiles, snapshotError } from './chunked.ts';
import type { BlogIndex, LocaleIndex } from './layout.ts';
import { type Manifest, parseManifest } from './manifest.ts';
import { blogFolders, escapeName, paths } from './names.ts';
import { type Spool, type SpooledList, type SpoolRef, WRITE_BATCH } from './spool.ts';
import { openStore, type SnapshotStore } from './store.ts';
import { matchesManifest, withoutEntityHashes } from './verify.ts';
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

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(await resolveDir(dir), paths.manifest), 'utf8');
  } catch {
    return undefined;
  }
  return parseManifest(text);
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

/** A file's version on disk: a file replaced or rewritten has another. */
const versionOf = (stats: Stats | undefined) =>
  stats && `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;

/**
 * The snapshot in `dir` as `SnapshotFiles`: its manifest, and its files read on demand, each
 * checked against the manifest. `entityHashes: false` leaves out of the manifest the hashes a
 * reader never needs (`withoutEntityHashes`).
 */
export async function snapshotFiles(
  dir: string,
  options: { entityHashes?: boolean } = {},
): Promise<SnapshotFiles> {
  const root = await resolveDir(dir);
  const limit = limiter(READ_CONCURRENCY);
  const read = await readManifest(root);
  if (!read) {
    throw snapshotError(
      `no ButterCMS snapshot in ${dir} (manifest.json missing, unreadable or of an older format)`,
    );
  }
  const manifest = options.entityHashes === false ? withoutEntityHashes(read) : read;
  const reading = async <T>(path: string, task: (file: string) => Promise<T>) => {
    try {
      return await limit(() => task(join(root, path)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw snapshotError(`cannot read ${path} in the snapshot ${dir}`, error);
    }
  };
  const stats = (path: string) => statSync(join(root, path), { throwIfNoEntry: false });
  // The version of each file read whole and found intact: a part of one is read from it only.
  const intact = new Map<string, string>();
  return {
    location: root,
    manifest,
    async readFile(path) {
      const before = versionOf(stats(path));
      const bytes = await reading(path, (file) => readFile(file));
      if (bytes === undefined) return undefined;
      if (!matchesManifest(manifest, path, bytes)) {
        throw snapshotError(
          `${path} in the snapshot ${dir} is damaged: its bytes are not those manifest.json records`,
        );
      }
      if (before !== undefined && before === versionOf(stats(path))) intact.set(path, before);
      return bytes;
    },
    // One entity's text (a few kB) read synchronously: a `FileHandle` costs three round trips
    // through the thread pool, many times the read itself.
    readRange(path, start, end) {
      const version = intact.get(path);
      if (version === undefined) return Promise.resolve(undefined);
      return reading(path, async (file) => {
        const fd = openSync(file, 'r');
        try {
          if (versionOf(fstatSync(fd)) !== version) return undefined;
          const part = new Uint8Array(end - start);
          return part.subarray(0, readSync(fd, part, 0, part.length, start));
        } finally {
          closeSync(fd);
        }
      });
    },
  };
}

/** The snapshot in `dir`, to read entity by entity (`cacheBytes`: see `openStore`). */
export async function openSnapshot(dir: string, cacheBytes?: number): Promise<SnapshotStore> {
  return openStore(await snapshotFiles(dir), cacheBytes);
}

async function required<T>(files: SnapshotStore, path: string): Promise<T> {
  const value = await files.readJson(path);
  if (value === undefined) {
    throw snapshotError(`${path} is missing from the snapshot ${files.location}`);
  }
  return value as T;
}

/** Reads the entities of `folder` in the order of `ids` (each listed one must be there). */
type ListingReader<L extends EntityList> = (
  files: SnapshotStore,
  folder: string,
  ids: readonly (string | number)[],
) => Promise<L>;

/** The error for an entity the index lists and its folder lacks. */
function missingEntity(files: SnapshotStore, folder: string, name: string) {
  return snapshotError(`${folder}/${name}.json is missing from the snapshot ${files.location}`);
}

/** The entities of `folder` in the order of `ids`, parsed (each listed one must be there). */
async function listing<Id extends string | number>(
  files: SnapshotStore,
  folder: string,
  ids: readonly Id[],
): Promise<JsonObject[]> {
  const byName = await files.readFolder(folder);
  return ids.map((id) => {
    const name = escapeName(String(id));
    const entity = byName.get(name);
    if (entity === undefined) throw missingEntity(files, folder, name);
    return entity as JsonObject;
  });
}

function record<T>(
  source: Record<string, T>,
  map: (key: string, value: T) => T,
): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(source)) out[key] = map(key, source[key] as T);
  return out;
}

async function readLocale<L extends EntityList>(
  files: SnapshotStore,
  locale: string | null,
  listing: ListingReader<L>,
): Promise<LocaleContent<L>> {
  const index = await required<LocaleIndex>(files, paths.localeIndex(locale));
  const singlePages = await listing(files, paths.pageFolder(locale, '*'), index.singlePages);
  const pageTypes = Object.create(null) as LocaleContent<L>['pageTypes'];
  for (const type of Object.keys(index.pageTypes)) {
    pageTypes[type] = await listing(
      files,
      paths.pageFolder(locale, type),
      index.pageTypes[type] ?? [],
    );
  }
  const collections = Object.create(null) as LocaleContent<L>['collections'];
  for (const key of Object.keys(index.collections)) {
    collections[key] = await listing(
      files,
      paths.itemFolder(locale, key),
      index.collections[key] ?? [],
    );
  }
  return { locale, singlePages, pageTypes, collections };
}

/** Loads the whole snapshot into memory. */
export function readSnapshot(
  dir: string,
): Promise<{ content: SnapshotContent; manifest: Manifest }> {
  return readSnapshotWith(dir, listing);
}

/**
 * The whole snapshot with its listings read into `spool`, a chunk file at a time: what a sync
 * starts from holds the entities' places, never the entities.
 */
export function readSnapshotSpooled(
  dir: string,
  spool: Spool,
): Promise<{ content: SnapshotContent<SpooledList>; manifest: Manifest }> {
  return readSnapshotWith(dir, spooledListing(spool));
}

/** Reads a listing of the snapshot into the spool, a chunk file at a time. */
function spooledListing(spool: Spool): ListingReader<SpooledList> {
  return async (files, folder, ids) => {
    const refs = new Map<string, SpoolRef>();
    let names: string[] = [];
    let texts: string[] = [];
    const flush = () => {
      spool.putTexts(texts).forEach((ref, i) => {
        refs.set(names[i]!, ref);
      });
      names = [];
      texts = [];
    };
    await files.scanTexts(folder, (name, text) => {
      names.push(name);
      texts.push(text);
      if (texts.length === WRITE_BATCH) flush();
    });
    flush();
    return spool.list(
      ids.map((id) => {
        const name = escapeName(String(id));
        const ref = refs.get(name);
        if (ref === undefined) throw missingEntity(files, folder, name);
        return ref;
      }),
      ids,
    );
  };
}

/** The whole snapshot, each listing as `listing` reads it (into memory, or elsewhere). */
async function readSnapshotWith<L extends EntityList>(
  dir: string,
  listing: ListingReader<L>,
): Promise<{ content: SnapshotContent<L>; manifest: Manifest }> {
  const files = await openSnapshot(dir);
  const locales: LocaleContent<L>[] = [];
  for (const locale of files.manifest.locales) {
    locales.push(await readLocale(files, locale, listing));
  }
  const blogIndex = await required<BlogIndex>(files, paths.blogIndex);
  const load = (kind: keyof typeof blogFolders) =>
    listing(files, blogFolders[kind], blogIndex[kind]);
  const copy = (r: Record<string, string[]>) => record(r, (_key, value) => [...value]);
  const content: SnapshotContent<L> = {
    locales,
    blog: {
      posts: await load('posts'),
      authors: await load('authors'),
      categories: await load('categories'),
      tags: await load('tags'),
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
