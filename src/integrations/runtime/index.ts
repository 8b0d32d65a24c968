/**
 * Runtime of `virtual:buttercms`: the local reader over files that the virtual module loads
 * lazily — one module per folder, listing one module per file, each exporting the file's text —
 * handed to the reader as its `SnapshotFiles`. No Node built-ins: it runs in browsers too.
 */
import { createReader, type LocalButter, type ReaderOptions } from '../../core/reader/reader.ts';
import type { Manifest } from '../../core/snapshot/manifest.ts';
import { ROOT_FOLDER } from '../unplugin/ids.ts';

type Lazy<T> = () => Promise<T>;
export type FolderLoaders = Record<
  string,
  Lazy<{ files: Record<string, Lazy<{ default: string }>> }>
>;

/** A reader whose file `<folder>/<name>` is module `name` of `folders[folder]`. */
export function createVirtualButter(
  manifest: Manifest,
  folders: FolderLoaders,
  options?: ReaderOptions,
): LocalButter {
  return createReader(
    {
      location: 'virtual:buttercms',
      manifest,
      async readFile(path) {
        const slash = path.lastIndexOf('/');
        const folder = slash === -1 ? ROOT_FOLDER : path.slice(0, slash);
        const loadFolder = Object.hasOwn(folders, folder) ? folders[folder] : undefined;
        if (!loadFolder) return undefined;
        const { files } = await loadFolder();
        const name = path.slice(slash + 1);
        const loadFile = Object.hasOwn(files, name) ? files[name] : undefined;
        return loadFile ? (await loadFile()).default : undefined;
      },
    },
    options,
  );
}

type ListParams = Parameters<LocalButter['page']['list']>[1];
type PostParams = Parameters<LocalButter['post']['list']>[0];
type ContentParams = Parameters<LocalButter['content']['retrieve']>[1];

/**
 * Shortcuts for the common lists: the body's `data` of the matching reader call. Typed for
 * sites by `client.d.ts` (keys checked against the generated declarations).
 */
export function listHelpers(butter: LocalButter) {
  return {
    getPages: async (pageType: string, params?: ListParams) =>
      (await butter.page.list(pageType, params)).data.data,
    getCollection: async (key: string, params?: ContentParams) =>
      (await butter.content.retrieve([key], params)).data.data[key],
    getPosts: async (params?: PostParams) => (await butter.post.list(params)).data.data,
    getAuthors: async () => (await butter.author.list()).data.data,
    getCategories: async () => (await butter.category.list()).data.data,
    getTags: async () => (await butter.tag.list()).data.data,
  };
}
