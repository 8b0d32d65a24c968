/**
 * Build start (prepareSnapshot): reuse a fresh snapshot (maxAge), sync otherwise, fall back on
 * the snapshot when the API cannot be reached (offline: 'fallback'), fail clearly otherwise.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSnapshot } from '../../src/core/build-start.ts';
import { TYPES_OUTSIDE_PROJECT } from '../../src/core/codegen/types-in-project.ts';
import { ButterError } from '../../src/core/errors.ts';
import { type Options, resolveSnapshotOptions } from '../../src/core/options.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import type { Logger } from '../../src/core/toolkit/log.ts';
import buildWithRollup from './fixtures/rollup/build.ts';
import {
  type FakeButter,
  listFiles,
  optionsFor,
  renderOutput,
  startFakeButter,
  tmpDir,
} from './utils.ts';

function memoryLog() {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, log };
}

/** Nothing listens there: every request fails at once with a network error. */
const UNREACHABLE = 'http://127.0.0.1:9/v2';
/** Resolved without the environment: no token or API URL but the tests' own. */
const resolved = (options: Options) => resolveSnapshotOptions(options, {});

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

async function rejection(promise: Promise<unknown>): Promise<ButterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ButterError);
    return error as ButterError;
  }
  throw new Error('expected a rejection');
}

describe('prepareSnapshot', () => {
  it('syncs, then reuses a snapshot younger than maxAge without a request', async () => {
    const root = await tmpDir('prepare-maxage');
    const { log, lines } = memoryLog();
    const first = await prepareSnapshot(resolved(optionsFor(fake, root)), { log });
    expect(first.source).toBe('synced');
    expect(first.out).toBe(join(root, '.buttercms'));
    // The manifest the sync returned, not read back: the one on disk.
    expect(first.manifest).toEqual(await readManifest(first.out));
    expect(lines.some((l) => l.startsWith('info synced'))).toBe(true);

    fake.resetLog();
    const second = await prepareSnapshot(resolved(optionsFor(fake, root, { maxAge: '1h' })), {
      log,
    });
    expect(second.source).toBe('reused');
    expect(second.manifest.syncedAt).toBe(first.manifest.syncedAt);
    expect(fake.log).toHaveLength(0);

    // A reused snapshot without its declarations gets them generated.
    const types = join(root, 'buttercms.d.ts');
    const withTypes = optionsFor(fake, root, { maxAge: '1h', types: 'buttercms.d.ts' });
    await prepareSnapshot(resolved(withTypes), { log });
    expect(await readFile(types, 'utf8')).toContain("declare module 'unplugin-buttercms'");
    expect(fake.log).toHaveLength(0);

    // Older than maxAge: syncs again.
    const later = Date.parse(first.manifest.syncedAt) + 2 * 3_600_000;
    const third = await prepareSnapshot(resolved(optionsFor(fake, root, { maxAge: '1h' })), {
      log,
      now: () => later,
    });
    expect(third.source).toBe('synced');
    expect(fake.log.length).toBeGreaterThan(0);
  });

  it('gives a reused snapshot the declarations of its own lock, not newer ones a killed sync left', async () => {
    const root = await tmpDir('prepare-types');
    const types = join(root, 'buttercms.d.ts');
    const options = optionsFor(fake, root, { types: 'buttercms.d.ts' });
    await prepareSnapshot(resolved(options), { log: memoryLog().log });
    const matching = await readFile(types, 'utf8');
    // What a sync killed between writing the declarations and swapping its snapshot in leaves.
    const ahead = await tmpDir('prepare-types-ahead');
    fake.updateAccount((account) => {
      account.pages.find((p) => p.pageType === 'guide')!.fields.added_later = 'x';
    });
    await prepareSnapshot(resolved(optionsFor(fake, ahead, { types: 'buttercms.d.ts' })), {
      log: memoryLog().log,
    });
    await writeFile(types, await readFile(join(ahead, 'buttercms.d.ts'), 'utf8'));
    expect(await readFile(types, 'utf8')).toContain('added_later');

    const { log, lines } = memoryLog();
    fake.resetLog();
    const reused = await prepareSnapshot(resolved({ ...options, maxAge: '1h' }), { log });
    expect(reused.source).toBe('reused');
    expect(fake.log).toHaveLength(0);
    expect(await readFile(types, 'utf8')).toBe(matching);
    expect(lines.join('\n')).toContain("from the snapshot's types.lock.json");
    // When they match, nothing is written.
    await prepareSnapshot(resolved({ ...options, maxAge: '1h' }), { log });
    expect(lines.filter((l) => l.includes('types.lock.json'))).toHaveLength(1);
  });

  it('falls back on the snapshot when the API is unreachable, warning with its age', async () => {
    const root = await tmpDir('prepare-offline');
    await prepareSnapshot(resolved(optionsFor(fake, root)), { log: memoryLog().log });
    const { log, lines } = memoryLog();
    const offline = optionsFor(fake, root, { apiUrl: UNREACHABLE, retries: 0 });
    const prepared = await prepareSnapshot(resolved(offline), { log });
    expect(prepared.source).toBe('offline');
    const warning = lines.find((l) => l.startsWith('warn'));
    expect(warning).toMatch(
      /^warn API unreachable \(GET \/v2\/.* failed: could not reach 127\.0\.0\.1:9 \(ECONNREFUSED\)\.\): going on with the snapshot synced \d+ s ago \(20\d\d-/,
    );
    expect(warning).not.toContain(fake.token);

    const error = await rejection(
      prepareSnapshot(resolved({ ...offline, offline: 'error' }), { log: memoryLog().log }),
    );
    expect(error.code).toBe('SNAPSHOT');
    expect(error.message).toMatch(
      /^\[buttercms\] cannot sync ButterCMS content \(GET \/v2\/.* failed: could not reach 127\.0\.0\.1:9 \(ECONNREFUSED\)\.\), and `offline` is 'error': no fallback on the snapshot\n/,
    );
  });

  it('fails clearly without a snapshot and without the API', async () => {
    const root = await tmpDir('prepare-nothing');
    const offline = optionsFor(fake, root, { apiUrl: UNREACHABLE, retries: 0 });
    const error = await rejection(prepareSnapshot(resolved(offline), { log: memoryLog().log }));
    expect(error.code).toBe('SNAPSHOT');
    expect(error.message).toContain('no snapshot to fall back on');
    expect(error.hint).toContain('butter-sync');
  });

  it('builds from a committed snapshot when no token is set, and says what to set otherwise', async () => {
    const root = await tmpDir('prepare-no-token');
    const { token: _unused, ...withoutToken } = optionsFor(fake, root);
    const none = await rejection(prepareSnapshot(resolved(withoutToken), { log: memoryLog().log }));
    expect(none.hint).toContain('BUTTERCMS_API_TOKEN');

    await prepareSnapshot(resolved(optionsFor(fake, root)), { log: memoryLog().log });
    const { log, lines } = memoryLog();
    const prepared = await prepareSnapshot(resolved(withoutToken), { log });
    expect(prepared.source).toBe('offline');
    expect(lines.join('\n')).toMatch(
      /^warn cannot sync \(Invalid option `token`: no ButterCMS API token\): going on with the snapshot synced \d+ s ago \(20/m,
    );
    // A missing token is not an unreachable API.
    expect(lines.join('\n')).not.toContain('unreachable');
  });

  it('does not hide a wrong token behind the snapshot', async () => {
    const root = await tmpDir('prepare-auth');
    await prepareSnapshot(resolved(optionsFor(fake, root)), { log: memoryLog().log });
    const error = await rejection(
      prepareSnapshot(resolved(optionsFor(fake, root, { token: 'wrong-token-123' })), {
        log: memoryLog().log,
      }),
    );
    expect(error.code).toBe('AUTH');
  });

  it('warns once per build when the tsconfig leaves the declarations out: synced, reused, offline', async () => {
    const root = await tmpDir('prepare-tsconfig');
    await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
    const warnings: [string, string | undefined][] = [];
    const log: Logger = { ...memoryLog().log, warn: (m, topic) => warnings.push([m, topic]) };
    const withTypes = optionsFor(fake, root, { types: 'buttercms.d.ts' });
    const runs = [
      withTypes,
      { ...withTypes, maxAge: '1h' },
      { ...withTypes, apiUrl: UNREACHABLE, retries: 0 },
    ];
    for (const [i, options] of runs.entries()) {
      const prepared = await prepareSnapshot(resolved(options), { log });
      expect(prepared.source).toBe(['synced', 'reused', 'offline'][i]);
      const mine = warnings.filter(([, topic]) => topic === TYPES_OUTSIDE_PROJECT);
      expect(mine).toHaveLength(i + 1);
      expect(mine[i]![0]).toContain(
        'buttercms.d.ts is not part of your TypeScript project: tsconfig.json ("include": ["src"]) does not cover it',
      );
    }
    // Types off: nothing to check.
    warnings.length = 0;
    await prepareSnapshot(resolved({ ...withTypes, types: false, maxAge: '1h' }), { log });
    expect(warnings).toEqual([]);
  });
});

describe('an offline build', () => {
  it('goes on with the snapshot: content and media reach the output', async () => {
    const root = await tmpDir('offline-build');
    await prepareSnapshot(resolved(optionsFor(fake, root)), { log: memoryLog().log });
    const outDir = join(root, 'dist');
    const entry = await buildWithRollup(
      optionsFor(fake, root, { apiUrl: UNREACHABLE, retries: 0 }),
      outDir,
    );
    const rendered = await renderOutput<{ single: { name: string } }>(join(outDir, entry));
    expect(rendered.single.name).toBe('Simple Page');
    expect((await listFiles(outDir)).some((f) => f.startsWith('buttercms/'))).toBe(true);
  });
});
