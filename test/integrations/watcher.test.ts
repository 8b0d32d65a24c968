/**
 * The bundler-free watch loop (what `butter-sync --watch` and every dev server use) with a
 * recording host: change checks, refreshes that regenerate types when shapes change, config
 * reloads, and failures that keep the last good snapshot.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostContext, SnapshotChange } from '../../src/core/watch/context.ts';
import { prepareSnapshot } from '../../src/core/watch/prepare.ts';
import { startWatch, type Watcher } from '../../src/core/watch/watcher.ts';
import { type FakeButter, optionsFor, startFakeButter, tmpDir } from './utils.ts';

let fake: FakeButter;
let watcher: Watcher | undefined;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});
afterAll(async () => {
  await fake?.close();
});

function recordingHost() {
  const changes: SnapshotChange[] = [];
  const reloads: string[] = [];
  const logs: string[] = [];
  const host: HostContext = {
    invalidate: (change) => void changes.push(change),
    reload: (reason) => void reloads.push(reason),
    log: {
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
      error: (m) => logs.push(`error ${m}`),
    },
  };
  return { host, changes, reloads, logs };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('startWatch', () => {
  it('sees a change with one check, re-syncs, and reports changed files and types', async () => {
    const root = await tmpDir('watcher-types');
    const options = optionsFor(fake, root, { types: 'buttercms.d.ts', pollInterval: false });
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes } = recordingHost();
    watcher = await startWatch({ options, host });
    expect(watcher.secret.length).toBeGreaterThanOrEqual(16);

    await watcher.check(); // the baseline
    await watcher.check();
    expect(changes).toHaveLength(0);

    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      page.fields.subtitle = 'A field nobody had seen';
      page.updated = new Date().toISOString();
    });
    await watcher.check();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reason).toMatch(/^poll: .*pages\/\*/);
    expect(changes[0]!.files).toContain('locales/_default/pages/_single/simple-page.json');
    expect(changes[0]!.typesChanged).toBe(true);
    expect(await readFile(join(root, 'buttercms.d.ts'), 'utf8')).toContain('subtitle');
  });

  it('reloads the host when a config file changes', async () => {
    const root = await tmpDir('watcher-config');
    const config = join(root, 'butter.config.json');
    await writeFile(config, '{}');
    const options = optionsFor(fake, root, { pollInterval: false });
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, reloads } = recordingHost();
    watcher = await startWatch({ options, host, configFiles: [config] });
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(config, '{"levels": 3}');
    await until(() => reloads.length > 0);
    expect(reloads[0]).toContain('butter.config.json changed');
  });

  it('keeps the last good snapshot when a refresh fails, and recovers', async () => {
    const root = await tmpDir('watcher-failure');
    const options = optionsFor(fake, root, { pollInterval: false, retries: 0 });
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes, logs } = recordingHost();
    watcher = await startWatch({ options, host });
    const before = watcher.manifest();
    fake.setFaults({ rate5xx: 1 });
    await watcher.refresh('test');
    fake.setFaults({});
    expect(changes).toHaveLength(0);
    expect(watcher.manifest()).toBe(before);
    expect(
      logs.some((l) => l.startsWith('error refresh (test) failed, keeping the snapshot')),
    ).toBe(true);
    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      page.name = 'Recovered';
      page.updated = new Date().toISOString();
    });
    await watcher.refresh('test');
    expect(changes).toHaveLength(1);
  });
});
