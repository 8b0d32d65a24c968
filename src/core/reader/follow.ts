/**
 * Following the snapshot in a folder: a value (a reader) re-made when `manifest.json` changes —
 * a sync swapped a new snapshot in (watch mode, or `butter-sync` in another terminal) — so the
 * next call sees the new content without a restart, and reused otherwise with what it keeps.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalButter } from './index.ts';
import type { LocalButter, ReaderOptions } from './reader.ts';

/**
 * The version of the snapshot in `dir`: its manifest's modification time, 0 when there is none.
 * Checked on every call, synchronously: a stat of one file is cheap, where `fs.promises.stat`
 * adds a round trip through the thread pool that weighs on a whole read through Next.js — and
 * parsing the manifest, which lists every entity's hash, is slow on a large account.
 */
export function manifestStamp(dir: string): () => number {
  const manifest = join(dir, 'manifest.json');
  return () => {
    try {
      return statSync(manifest, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    } catch {
      return 0; // unreadable: the reader says why on its first call
    }
  };
}

/** A getter of the current reader over `dir`, re-made when the snapshot changes. */
export function followSnapshot(dir: string, options?: ReaderOptions): () => LocalButter {
  const stampOf = manifestStamp(dir);
  let current: { butter: LocalButter; stamp: number } | undefined;
  return () => {
    const stamp = stampOf();
    if (!current || current.stamp !== stamp) {
      current = { butter: createLocalButter(dir, options), stamp };
    }
    return current.butter;
  };
}
