/**
 * Source of the virtual modules, generated from the snapshot's manifest. Pure: the plugin reads
 * files and hands their text in.
 */
import { PROFILE_FILE } from '../../core/model/profile.ts';
import type { Manifest } from '../../core/snapshot/index.ts';
import { entityId, FOLDER_PREFIX, folderOf, ROOT_FOLDER, RUNTIME_ID } from './ids.ts';

const json = (value: unknown) => JSON.stringify(value);

/**
 * Whether the reader ever opens `path` of this snapshot (`types.lock.json` and the like are not
 * content). It reads the probe answers (full entity copies) only when there is no profile
 * learned from them, so a bundle never carries both.
 */
export function isReaderFile(manifest: Manifest, path: string): boolean {
  if (path === 'probes.json') return !Object.hasOwn(manifest.hashes, PROFILE_FILE);
  return (
    path.endsWith('.json') &&
    (path === PROFILE_FILE || path.startsWith('locales/') || path.startsWith('blog/'))
  );
}

/** Folder → file names (last path segment), from the manifest's file list, sorted. */
export function foldersOf(manifest: Manifest): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const path of Object.keys(manifest.hashes).sort()) {
    if (!isReaderFile(manifest, path)) continue;
    const folder = folderOf(path);
    const list = folders.get(folder) ?? [];
    list.push(path.slice(folder === ROOT_FOLDER ? 0 : folder.length + 1));
    folders.set(folder, list);
  }
  return folders;
}

/** What `virtual:buttercms` exports besides `butter`: small facts, never content. */
export function snapshotFacts(manifest: Manifest) {
  return {
    syncedAt: manifest.syncedAt,
    levels: manifest.levels,
    locales: manifest.locales,
    preview: manifest.preview,
    counts: manifest.counts,
  };
}

/** `virtual:buttercms`: the reader over lazily imported folders, `readerCache` MB of cache. */
export function mainModule(manifest: Manifest, readerCache: number): string {
  const folders = [...foldersOf(manifest).keys()];
  const loaders = folders
    .map((f) => `  ${json(f)}: () => import(${json(FOLDER_PREFIX + f)}),`)
    .join('\n');
  // What the runtime reads by is the folders' modules: no hash lists in every page's bundle.
  const { chunkHashes: _checkedAtBuild, ...rest } = manifest;
  const slim = { ...rest, hashes: {}, chunks: {} };
  return `import { createVirtualButter, listHelpers } from ${json(RUNTIME_ID)};

const folders = {
${loaders}
};

export const snapshot = ${json(snapshotFacts(manifest))};

export const butter = createVirtualButter(${json(slim)}, folders, { cache: ${json(readerCache)} });
export const { getPages, getCollection, getPosts, getAuthors, getCategories, getTags } = listHelpers(butter);
export default butter;
`;
}

/** `virtual:buttercms/folder/<folder>`: file name → lazy import of the file's module. */
export function folderModule(folder: string, files: string[]): string {
  const prefix = folder === ROOT_FOLDER ? '' : `${folder}/`;
  const lines = files
    .map((name) => `  ${json(name)}: () => import(${json(entityId(prefix + name))}),`)
    .join('\n');
  return `export const files = {\n${lines}\n};\n`;
}

/**
 * `virtual:buttercms/entity/<path>`: one snapshot file's text, which the reader parses when it
 * needs it (a string literal is faster to load than an object literal, and exact).
 */
export function entityModule(text: string): string {
  return `export default ${json(text)};\n`;
}
