/**
 * Checking a snapshot file against its manifest when a reader first reads it: a chunk file's
 * bytes against `chunkHashes`, a plain file's (an index, the probes, the profile) against
 * `hashes`. A file cut short, edited or replaced is reported instead of served; the next sync
 * writes it again (`StagedFiles` never links a file whose bytes differ). Costs one sha256 per
 * file read, a fraction of parsing it.
 */
import { hashText } from './hash.ts';
import type { Manifest } from './manifest.ts';
import { splitEntityPath } from './names.ts';

/** What the bytes of the file at `path` hash to, as the manifest records it (if it does). */
function recordedHash(manifest: Manifest, path: string): string | undefined {
  const chunks = manifest.chunkHashes;
  if (chunks && Object.hasOwn(chunks, path)) return chunks[path];
  return Object.hasOwn(manifest.hashes, path) ? manifest.hashes[path] : undefined;
}

/** Whether `bytes`, read from `path`, are what the manifest records (true if it records none). */
export function matchesManifest(manifest: Manifest, path: string, bytes: Uint8Array): boolean {
  const expected = recordedHash(manifest, path);
  return expected === undefined || hashText(bytes) === expected;
}

/**
 * `manifest` without the hashes of entities, which reading files never checks (a chunk file is
 * checked whole, against `chunkHashes`): one per entity, they are megabytes of heap on a large
 * account that a reader would keep for nothing.
 */
export function withoutEntityHashes(manifest: Manifest): Manifest {
  const hashes: Record<string, string> = {};
  for (const path of Object.keys(manifest.hashes)) {
    if (!Object.hasOwn(manifest.chunks, splitEntityPath(path)[0]))
      hashes[path] = manifest.hashes[path]!;
  }
  return { ...manifest, hashes };
}
