/**
 * Names shared by `withButter` (next.config) and the page-side reader, which must not import
 * each other's modules: the reader is bundled into pages, `withButter` brings the sync.
 */

/** Set by `withButter` in Next's `env`: the snapshot folder, relative to the project. */
export const SNAPSHOT_ENV = 'BUTTERCMS_SNAPSHOT';

/**
 * Imported by the page-side reader. Published as `templates/next-stamp.js` (`null`); in `next
 * dev`, `withButter` aliases it to the snapshot's `manifest.json`, so that every page reading
 * the snapshot depends on that file and Next re-renders it when a sync rewrites it.
 */
export const STAMP_MODULE = 'unplugin-buttercms/next/stamp';
