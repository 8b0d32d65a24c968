/**
 * Runtime of `virtual:buttercms`: the local reader (`createLocalButter`) over files that the
 * virtual module loads lazily, one chunk per snapshot file, through one chunk per folder. Runs
 * in the browser and in Node alike (the plugin swaps the reader's disk access for `./browser`).
 */
import { createLocalButter, type LocalButter } from '../../core/reader/index.ts';
import type { Manifest } from '../../core/snapshot/manifest.ts';
import { registerSnapshot } from './browser/read.ts';

type Lazy<T> = () => Promise<T>;
export type FolderLoaders = Record<
  string,
  Lazy<{ files: Record<string, Lazy<{ default: unknown }>> }>
>;

const COUNTER = Symbol.for('unplugin-buttercms.instances');
const scope = globalThis as { [COUNTER]?: number };

/** A reader whose `readJson(path)` imports `folders[dir(path)]`, then that file's chunk. */
export function createVirtualButter(manifest: Manifest, folders: FolderLoaders): LocalButter {
  scope[COUNTER] = (scope[COUNTER] ?? 0) + 1;
  const dir = `virtual:buttercms#${scope[COUNTER]}`;
  registerSnapshot({
    dir,
    manifest,
    async readJson(path) {
      const slash = path.lastIndexOf('/');
      const folder = slash === -1 ? '_root' : path.slice(0, slash); // ROOT_FOLDER
      const loadFolder = Object.hasOwn(folders, folder) ? folders[folder] : undefined;
      if (!loadFolder) return undefined;
      const { files } = await loadFolder();
      const name = path.slice(slash + 1);
      const loadFile = Object.hasOwn(files, name) ? files[name] : undefined;
      // Each caller gets its own copy: the reader may hand the object to user code.
      return loadFile ? structuredClone((await loadFile()).default) : undefined;
    },
  });
  return createLocalButter(dir);
}

type ListParams = Parameters<LocalButter['page']['list']>[1];
type PostParams = Parameters<LocalButter['post']['list']>[0];
type ContentParams = Parameters<LocalButter['content']['retrieve']>[1];

/** Shortcuts for the common lists: the body's `data` of the matching reader call. */
export function listHelpers(butter: LocalButter) {
  return {
    getPages: async <T extends string>(pageType: T, params?: ListParams) =>
      (await butter.page.list(pageType, params)).data.data,
    getCollection: async <K extends string>(key: K, params?: ContentParams) =>
      (await butter.content.retrieve([key], params)).data.data[key],
    getPosts: async (params?: PostParams) => (await butter.post.list(params)).data.data,
    getAuthors: async () => (await butter.author.list()).data.data,
    getCategories: async () => (await butter.category.list()).data.data,
    getTags: async () => (await butter.tag.list()).data.data,
  };
}
