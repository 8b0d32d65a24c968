/**
 * `nextButter(dir)`: the local reader for server code in Next.js, re-created when the snapshot
 * changes (watch mode in `next dev`, or `butter-sync` in another terminal) so that the next
 * request sees new content without restarting the server.
 */
import { followSnapshot } from '../../core/reader/follow.ts';
import type { LocalButter, ReaderOptions } from '../../core/reader/index.ts';

/**
 * A getter: `const butter = await nextButter()` in a server component or route handler.
 * `options.cache` bounds the memory the reader keeps content in (the `readerCache` option).
 */
export function nextButter(
  dir = '.buttercms',
  options?: ReaderOptions,
): () => Promise<LocalButter> {
  const current = followSnapshot(dir, options);
  return async () => current();
}
