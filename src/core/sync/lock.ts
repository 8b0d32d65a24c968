/**
 * One sync at a time per snapshot folder, across processes (two CI jobs sharing a workspace,
 * a build and `butter-sync --watch`): a lock next to the folder (`<out>.lock`), held while the
 * sync runs. A second sync waits for the first (saying so once), then runs — warm, since the
 * first one's snapshot is there. proper-lockfile makes the lock an atomic `mkdir`, refreshes
 * it while held, takes over one left by a killed process once stale, and releases it on exit.
 * Its owner is named beside it (`<out>.lock.owner`: process id and host), so a lock whose
 * process on this host is gone (killed) is taken over at once rather than once stale.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { ButterError } from '../errors.ts';
import { isAlive } from '../temp-files.ts';
import { describeDuration } from '../toolkit/format.ts';
import { sleep } from '../toolkit/sleep.ts';

/**
 * A lock not refreshed for this long was left by a process that died: it is taken over. (It is
 * refreshed every half of it; a sync whose event loop stalls longer loses it, see below.)
 */
const STALE_MS = 30_000;
/** How long a sync waits for another one into the same folder before it gives up. */
export const LOCK_WAIT_MS = 15 * 60_000;

export function lockPath(out: string): string {
  return `${out}.lock`;
}

/**
 * Runs `task` holding the lock of `out`. `waiting` is told once when another sync holds it.
 * Fails (`SYNC`, naming the lock) when the other sync does not finish within `waitMs`.
 */
export async function withSyncLock<T>(
  out: string,
  task: () => Promise<T>,
  hooks: { waiting?(message: string): void; waitMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  await mkdir(dirname(out), { recursive: true });
  const options: lockfile.LockOptions = {
    lockfilePath: lockPath(out),
    realpath: false,
    stale: STALE_MS,
    // A lock taken over meanwhile (this process stalled past `stale`) must not crash the
    // process, which proper-lockfile's default does: the write still swaps a whole snapshot in.
    onCompromised: () => {},
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(out, options);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ELOCKED') throw error;
    if (!(await ownerGone(out))) {
      hooks.waiting?.(`another sync into ${out} is running; waiting for it to finish`);
    }
    release = await waitForLock(out, options, hooks.waitMs ?? LOCK_WAIT_MS, hooks.signal);
  }
  await writeFile(ownerFile(out), JSON.stringify({ pid: process.pid, host: hostname() }));
  try {
    return await task();
  } finally {
    await rm(ownerFile(out), { force: true });
    // A lock compromised meanwhile (taken over as stale) is not ours to release.
    await release().catch(() => undefined);
  }
}

async function waitForLock(
  out: string,
  options: lockfile.LockOptions,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<() => Promise<void>> {
  const until = Date.now() + waitMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await lockfile.lock(out, options);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') throw error;
      if (await ownerGone(out)) {
        // The owner first: a waiter that looks now finds none, not the dead one, and waits.
        await rm(ownerFile(out), { force: true });
        await rm(lockPath(out), { recursive: true, force: true });
        continue;
      }
      if (Date.now() >= until) {
        throw new ButterError(
          `another sync into ${out} held its lock (${lockPath(out)}) for more than ${describeDuration(waitMs / 1000)}`,
          {
            code: 'SYNC',
            hint: `Two syncs into one folder run one after the other. If no other sync is running, the lock is stale: it is taken over ${describeDuration(STALE_MS / 1000)} after its process died, or remove ${lockPath(out)}.`,
          },
        );
      }
      await sleep(250, signal);
    }
  }
}

const ownerFile = (out: string) => `${lockPath(out)}.owner`;

/** Whether the lock's owner was a process of this host that is gone (killed). */
async function ownerGone(out: string): Promise<boolean> {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(await readFile(ownerFile(out), 'utf8'));
  } catch {
    // No owner yet (the lock was just taken) or none readable: not known to be gone.
    return false;
  }
  return owner.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid);
}
