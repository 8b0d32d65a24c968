/**
 * `nextButter(dir)`: the local reader for server code in Next.js, re-created when the snapshot
 * changes (watch mode in `next dev`, or `butter-sync` in another terminal) so that the next
 * request sees new content without restarting the server.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createLocalButter,
  type LocalButter,
  type ReaderOptions,
} from '../../core/reader/index.ts';

/**
 * A getter: `const butter = await nextButter()` in a server component or route handler.
 * `options.cache` bounds the memory the reader keeps content in (the `readerCache` option).
 */
export function nextButter(
  dir = '.buttercms',
  options?: ReaderOptions,
): () => Promise<LocalButter> {
  let current: { butter: LocalButter; stamp: number } | undefined;
  return async () => {
    const stamp = await stat(join(dir, 'manifest.json')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (!current || current.stamp !== stamp)
      current = { butter: createLocalButter(dir, options), stamp };
    return current.butter;
  };
}
