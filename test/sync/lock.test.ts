/**
 * Two syncs into one folder at once: the second waits for the first (and says so), then runs
 * warm from its snapshot; the snapshot is whole, and no lock is left behind. A killed sync's
 * lock is taken over at once.
 */
import { spawnSync } from 'node:child_process';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { collectionsOf, fakeAndTempDir, pageTypesOf, readTree } from './helpers.ts';

const env = fakeAndTempDir('small', 'butter-lock-');

it('runs two syncs into one folder one after the other', async () => {
  const out = join(env.dir, '.buttercms');
  const options = {
    token: env.fake.token,
    apiUrl: env.fake.apiUrl,
    locales: ['en', 'fr'],
    pageTypes: pageTypesOf(env.fake.account),
    collections: collectionsOf(env.fake.account),
    out,
    types: false as const,
    media: false,
  };
  // Slow answers: the first sync still runs when the second starts.
  env.fake.setFaults({ latencyMs: 40 });
  const said: string[][] = [[], []];
  const logger = (i: number) => ({
    info: (message: string) => said[i]!.push(message),
    warn: () => {},
  });
  try {
    const [first, second] = await Promise.all([
      sync(options, { logger: logger(0) }),
      sync(options, { logger: logger(1) }),
    ]);
    // One of them waited, and ran warm from the other's snapshot.
    const waited = said.findIndex((lines) => lines.some((l) => l.includes('waiting')));
    expect(waited).not.toBe(-1);
    expect([first, second][waited]!.warm).toBeDefined();
    expect([first, second][1 - waited]!.warm).toBeUndefined();
  } finally {
    env.fake.setFaults({});
  }
  await readSnapshot(out);
  await expect(access(`${out}.lock`)).rejects.toThrow();
  expect((await readdir(env.dir)).sort()).toEqual(['.buttercms']);
  // The snapshot is the one a sync alone writes.
  const alone = join(env.dir, 'alone');
  await sync({ ...options, out: alone });
  const [a, b] = [await readTree(out), await readTree(alone)];
  for (const tree of [a, b]) tree.delete('manifest.json');
  expect(a).toEqual(b);
});

it('takes over at once the lock of a sync that was killed', async () => {
  const out = join(env.dir, 'killed');
  // What a killed sync leaves: the lock, fresh, and its owner, a process that has ended.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  await mkdir(`${out}.lock`, { recursive: true });
  await writeFile(`${out}.lock.owner`, JSON.stringify({ pid: dead, host: hostname() }));
  const said: string[] = [];
  await sync(
    { token: env.fake.token, apiUrl: env.fake.apiUrl, out, types: false, media: false },
    { logger: { info: (message) => said.push(message), warn: () => {} } },
  );
  expect(said.filter((line) => line.includes('waiting'))).toEqual([]);
  await expect(access(`${out}.lock`)).rejects.toThrow();
  await expect(access(`${out}.lock.owner`)).rejects.toThrow();
});
