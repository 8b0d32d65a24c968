/**
 * The snapshot store: the only part of the pipeline that writes or reads the snapshot folder.
 * Layout: "Snapshot layout" in docs/design.md.
 */

export type * from '../model/content.ts';
export type { SnapshotFiles } from './chunked.ts';
export type { BlogIndex, LocaleIndex } from './layout.ts';
export type { Manifest, ManifestCounts } from './manifest.ts';
export { escapeName, localeFolder, paths, unescapeName } from './names.ts';
export { openSnapshot, readManifest, readSnapshot, snapshotFiles } from './read.ts';
export { openStore, type SnapshotStore } from './store.ts';
export { type WriteOptions, type WriteResult, writeSnapshot } from './write.ts';
