/**
 * Ids of the virtual modules. `virtual:buttercms` is the entry a site imports; it reaches each
 * snapshot file through two levels of lazy `import()` — one module per folder (a page type, a
 * collection, the posts…) listing its files, one module per file — so bundlers split every
 * entity into its own chunk and a page that reads one entity never loads the account.
 */
export const MAIN_ID = 'virtual:buttercms';
export const FOLDER_PREFIX = 'virtual:buttercms/folder/';
export const ENTITY_PREFIX = 'virtual:buttercms/entity/';
export const RUNTIME_ID = 'virtual:buttercms/runtime';

/**
 * Matches every id the plugin resolves (before resolution). webpack and rspack take `virtual:`
 * for a URL scheme, so there the requests are first rewritten to `'\0' + id` (`webpack.ts`).
 */
export const ID_FILTER = /^\0?virtual:buttercms(?:$|\/)/;
/** Matches every id the plugin loads (resolved: '\0' + id). */
export const RESOLVED_FILTER = /^\0virtual:buttercms(?:$|\/)/;

export function resolved(id: string): string {
  return `\0${id.replace(/^\0+/, '')}`;
}

export type VirtualId =
  | { kind: 'main' }
  | { kind: 'runtime' }
  | { kind: 'folder'; folder: string }
  | { kind: 'entity'; path: string };

/** Parses a resolved or unresolved id; `undefined` when it is not ours. */
export function parseId(id: string): VirtualId | undefined {
  const bare = id.replace(/^\0+/, '');
  const clean = bare.split('?')[0]!;
  if (clean === MAIN_ID) return { kind: 'main' };
  if (clean === RUNTIME_ID) return { kind: 'runtime' };
  if (clean.startsWith(FOLDER_PREFIX))
    return { kind: 'folder', folder: clean.slice(FOLDER_PREFIX.length) };
  if (clean.startsWith(ENTITY_PREFIX)) {
    return { kind: 'entity', path: `${clean.slice(ENTITY_PREFIX.length)}.json` };
  }
  return undefined;
}

/**
 * Id of a snapshot file's module: the path without `.json`, so that no bundler applies its
 * JSON handling to our JavaScript.
 */
export function entityId(path: string): string {
  return ENTITY_PREFIX + path.replace(/\.json$/, '');
}

/**
 * Folder name of top-level files (`probes.json`). Not `.`: browsers drop dot segments from
 * module URLs. No snapshot folder starts with `_` at the top level.
 */
export const ROOT_FOLDER = '_root';

/** `locales/_default/pages/news/a.json` → `locales/_default/pages/news`; top-level files → `_root`. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? ROOT_FOLDER : path.slice(0, slash);
}
