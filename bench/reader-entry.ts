/**
 * What the reader bench's child processes run, built into plain JavaScript first (`npm run
 * bench:reader` builds it): the local reader, the Astro loader, the runtime of
 * `virtual:buttercms` with the plugin's own module list, and the Next.js reader.
 */

export { createLocalButter, DEFAULT_READER_CACHE } from '../src/core/reader/index.ts';
export { openSnapshot, readManifest, snapshotFiles } from '../src/core/snapshot/index.ts';
export { buttercmsLoader } from '../src/integrations/astro/loader.ts';
export { nextButter } from '../src/integrations/next/reader.ts';
export { createVirtualButter } from '../src/integrations/runtime/index.ts';
export { foldersOf } from '../src/integrations/unplugin/codegen.ts';
export { folderOf } from '../src/integrations/unplugin/ids.ts';
