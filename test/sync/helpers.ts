import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { FakeAccount } from '../../fixtures/account/types.ts';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';

export async function tempDir(
  prefix = 'butter-sync-',
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fake ButterCMS (the `small` account unless told) and a temporary folder for the tests of
 * one file: started before them, closed and removed after.
 */
export function fakeAndTempDir(
  account = 'small',
  prefix?: string,
): { readonly fake: FakeButter; readonly dir: string } {
  let fake: FakeButter | undefined;
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    fake = await startFakeButter({ account });
    tmp = await tempDir(prefix);
  });
  afterAll(async () => {
    await fake?.close();
    await tmp?.cleanup();
  });
  return {
    get fake() {
      return fake!;
    },
    get dir() {
      return tmp!.dir;
    },
  };
}

/** Every file under `dir` (relative path → bytes as text), for byte-identical comparisons. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(relative(dir, full), await readFile(full, 'latin1'));
    }
  };
  await walk(dir);
  return files;
}

export function pageTypesOf(account: FakeAccount): string[] {
  return [...new Set(account.pages.map((p) => p.pageType).filter((t): t is string => !!t))];
}

export function collectionsOf(account: FakeAccount): string[] {
  return Object.keys(account.collections);
}

/** Requests the fake served for the API (media downloads excluded). */
export function apiLog(fake: FakeButter) {
  return fake.log.filter((entry) => entry.path.startsWith('/v2/'));
}

/** A fetch that records the most requests in flight at once. */
export function countingFetch(): { fetch: typeof fetch; maxInFlight(): number; calls(): number } {
  let inFlight = 0;
  let max = 0;
  let calls = 0;
  const wrapped: typeof fetch = async (input, init) => {
    calls++;
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return { fetch: wrapped, maxInFlight: () => max, calls: () => calls };
}
