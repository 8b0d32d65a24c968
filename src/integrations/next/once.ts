/**
 * Once per build across processes. Next.js evaluates `next.config` in several processes (the
 * CLI, build workers, the dev server's router), so a module variable cannot guard the sync:
 *
 * - an environment variable, set after the sync, is inherited by every process spawned later;
 * - a lock file serializes processes that start at the same time: the first syncs, the others
 *   wait for it and then reuse its snapshot (a `.done` file says it worked). Both live in the
 *   project's cache folder (`node_modules/.cache/unplugin-buttercms/`, else the system's
 *   temporary folder), named after the snapshot folder, never in the project itself;
 * - a sibling that starts after the sync finished (same parent process, i.e. the same build
 *   command) or a child of the syncing process reuses it too, by the `.done` file.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../../core/temp-files.ts';
import { sleep } from '../../core/toolkit/sleep.ts';

export const DONE_ENV = 'BUTTERCMS_SYNC_DONE';

interface Marker {
  out: string;
  finishedAt: number;
  pid: number;
  ppid: number;
}

/** A sync by the same build command: our parent's child, or our parent. */
const SAME_BUILD_WINDOW = 30 * 60_000;
function sameBuild(marker: Marker | undefined, out: string): boolean {
  if (!marker || marker.out !== out || Date.now() - marker.finishedAt > SAME_BUILD_WINDOW)
    return false;
  return marker.ppid === process.ppid || marker.pid === process.ppid;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export interface OnceOptions {
  /** Absolute snapshot folder. */
  out: string;
  /** Folder of the lock and marker files (`cacheDirFor`). */
  cacheDir: string;
  env?: Record<string, string | undefined>;
  /** Give up waiting for another process after this long (ms). @default 600000 */
  timeout?: number;
}

/**
 * Runs `task` unless this process tree already did for `out`, or another process is doing it
 * right now (then waits for it). Returns whether `task` ran here.
 */
export async function once(options: OnceOptions, task: () => Promise<void>): Promise<boolean> {
  const env = options.env ?? process.env;
  const previous = env[DONE_ENV] ? (JSON.parse(env[DONE_ENV]!) as Marker) : undefined;
  if (previous?.out === options.out) return false;

  const name = createHash('sha256').update(options.out).digest('hex').slice(0, 16);
  await mkdir(options.cacheDir, { recursive: true });
  const lock = join(options.cacheDir, `${name}.lock`);
  const done = join(options.cacheDir, `${name}.done`);
  const started = Date.now();
  const deadline = started + (options.timeout ?? 600_000);
  /** Synced by the same build command, or while we waited: reuse it. */
  const reused = async () => {
    const marker = await readJson<Marker>(done);
    const usable =
      marker !== undefined &&
      (sameBuild(marker, options.out) ||
        (marker.out === options.out && marker.finishedAt >= started));
    if (usable) env[DONE_ENV] = JSON.stringify(marker);
    return usable;
  };
  for (;;) {
    if (await reused()) return false;
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (handle) {
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, startedAt: Date.now() }));
        await handle.close();
        // The holder may have finished (and released the lock) since the check above.
        if (await reused()) return false;
        await task();
        const marker: Marker = {
          out: options.out,
          finishedAt: Date.now(),
          pid: process.pid,
          ppid: process.ppid,
        };
        await writeFile(done, JSON.stringify(marker));
        env[DONE_ENV] = JSON.stringify(marker);
        return true;
      } finally {
        await rm(lock, { force: true });
      }
    }
    // Another process holds the lock: wait for it, then reuse what it synced.
    const holder = await readJson<{ pid: number }>(lock);
    if (holder && !isAlive(holder.pid)) {
      await rm(lock, { force: true }); // left behind by a killed process
      continue;
    }
    if (!holder) {
      await sleep(20); // being written, or just released
      continue;
    }
    if (Date.now() > deadline) throw new Error(`[buttercms] timed out waiting for ${lock}`);
    await sleep(100);
  }
}
