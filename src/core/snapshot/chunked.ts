/**
 * Reading entities out of chunk files, given a way to read one file. No Node built-ins: the
 * browser runtime of `virtual:buttercms` reads snapshots on disk with it too (SSR, loaders).
 */
import type { Manifest } from './manifest.ts';
import { chunkFile, chunkOf, splitEntityPath } from './names.ts';

/**
 * `readJson` by logical path over `readFile` by file path: an entity is looked up in its
 * chunk (parsed once, then kept), any other path is read as a file. `damaged` builds the error
 * for a chunk that is missing or not an object.
 */
export function chunkedReader(
  manifest: Pick<Manifest, 'chunks'>,
  readFile: (path: string) => Promise<unknown>,
  damaged: (path: string) => Error,
): (path: string) => Promise<unknown> {
  const chunks = new Map<string, Promise<Record<string, unknown>>>();
  const readChunk = (path: string) => {
    let chunk = chunks.get(path);
    if (!chunk) {
      chunk = readFile(path).then((value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw damaged(path);
        }
        return value as Record<string, unknown>;
      });
      chunk.catch(() => chunks.delete(path));
      chunks.set(path, chunk);
    }
    return chunk;
  };
  return async (path) => {
    const [folder, name] = splitEntityPath(path);
    const stored = Object.hasOwn(manifest.chunks, folder) ? manifest.chunks[folder] : undefined;
    if (!stored) return readFile(path);
    const chunk = await readChunk(chunkFile(folder, chunkOf(name, stored.length)));
    return Object.hasOwn(chunk, name) ? chunk[name] : undefined;
  };
}
