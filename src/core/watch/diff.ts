/** Which snapshot files differ between two manifests (pure). */
import type { Manifest } from '../snapshot/index.ts';

export function changedFiles(before: Manifest | undefined, after: Manifest): string[] {
  const old = before?.hashes ?? {};
  const now = after.hashes;
  const files = new Set<string>();
  for (const path of Object.keys(now)) if (old[path] !== now[path]) files.add(path);
  for (const path of Object.keys(old)) if (!Object.hasOwn(now, path)) files.add(path);
  return [...files].sort();
}
