/**
 * `createLocalButter(snapshot)`: the read methods of the official `buttercms` SDK (v3), answered
 * from a snapshot — a folder on disk, or any `SnapshotFiles` (files kept elsewhere). A site
 * switches from the API to the snapshot by swapping one import:
 *
 *   const butter = createLocalButter('.buttercms');
 *   const { data } = await butter.page.retrieve('landing-page', 'home', { levels: 2 });
 */
import type { SnapshotFiles } from '../snapshot/chunked.ts';
import { snapshotFiles } from '../snapshot/read.ts';
import { createReader, type LocalButter, type ReaderOptions } from './reader.ts';

/**
 * A reader over the snapshot in the folder `snapshot` (opened on first use: nothing is read on
 * creation), or over the files given.
 */
export function createLocalButter(
  snapshot: string | SnapshotFiles,
  options?: ReaderOptions,
): LocalButter {
  return createReader(
    typeof snapshot === 'string'
      ? () => snapshotFiles(snapshot, { entityHashes: false })
      : snapshot,
    options,
  );
}

export { type ApiProfile, learnApiProfile, type ProfileContent } from '../model/profile.ts';
export { DEFAULT_READER_CACHE } from '../snapshot/cache.ts';
export type { SnapshotFiles } from '../snapshot/chunked.ts';
export { ReaderError } from './errors.ts';
export {
  type CollectionKeyArg,
  createReader,
  type LocalButter,
  type LocalContentMethods,
  type LocalFeedMethods,
  type LocalPageMethods,
  type LocalPostMethods,
  type LocalTaxonomyMethods,
  type PageTypeArg,
  type PostDetailMeta,
  type ReaderOptions,
} from './reader.ts';
export type * from './schema.ts';
