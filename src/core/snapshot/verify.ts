/**
 * Checking a snapshot file against its manifest when a reader first reads it: a chunk file's
 * bytes against `chunkHashes`, a plain file's (an index, the probes, the profile) against
 * `hashes`. A file cut short, edited or replaced is reported instead of served; the next sync
 * writes it again (`StagedFiles` never links a file whose bytes differ). Costs one sha256 per
 * file read, a fraction of parsing it.
 */
import { hashText } from './hash.ts';
import type { Manifest } from './manifest.ts';

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
