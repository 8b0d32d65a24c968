/**
 * `butter-sync --watch` as a user runs it (a child process against the fake API): the first
 * sync, polling that re-syncs what changed with one log line, the webhook endpoint with its
 * secret, and a clean exit on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { openSnapshot, paths, readManifest } from '../../src/core/snapshot/index.ts';
import { pageTypesOf, tempDir } from '../sync/helpers.ts';
import { type Running, spawnCli } from './helpers.ts';

const SECRET = 'watch-secret-4b1d9e';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir('butter-watch-');
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

interface Watching extends Running {
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

function watch(out: string, extra: string[]): Watching {
  const args = [
    ...['--watch', '--api-url', fake.apiUrl, '--out', out, '--no-media', '--no-types'],
    ...['--page-types', pageTypesOf(fake.account).join(','), ...extra],
  ];
  const running = spawnCli(args, {
    cwd: tmp.dir,
    env: { BUTTERCMS_API_TOKEN: fake.token, BUTTERCMS_WEBHOOK_SECRET: SECRET },
  });
  children.push(running.child);
  return {
    ...running,
    async waitFor(pattern, ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        const match = running.out().match(pattern);
        if (match) return match;
        if (Date.now() > end || running.child.exitCode !== null) {
          throw new Error(`no ${pattern} in:\n${running.out()}\n--- stderr:\n${running.err()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Waits until the snapshot in `out` was synced at `levels` (a reload's full sync). */
async function resynced(w: Watching, out: string, levels: number): Promise<void> {
  const end = Date.now() + 10_000;
  while ((await readManifest(out))?.levels !== levels) {
    if (Date.now() > end) throw new Error(`not re-synced:\n${w.out()}\n${w.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The stored page `guide-a` as JSON text (read from its chunk file, through the manifest). */
async function guideA(out: string): Promise<string> {
  const page = await (await openSnapshot(out)).readJson(paths.page(null, 'guide', 'guide-a'));
  if (page === undefined) throw new Error(`no page guide-a in ${out}`);
  return JSON.stringify(page);
}

describe('butter-sync --watch', () => {
  it('syncs, then re-syncs what polling sees change, one line each; SIGTERM exits 0', async () => {
    const out = join(tmp.dir, 'poll');
    const w = watch(out, ['--poll-interval', '1s']);
    await w.waitFor(/watching ButterCMS/);
    expect(await guideA(out)).not.toContain('Polled guide');

    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'guide-a')!;
      page.name = 'Polled guide';
      page.updated = new Date().toISOString();
    });
    await w.waitFor(/content changed \(poll\): \d+ snapshot files/);
    expect(await guideA(out)).toContain('Polled guide');

    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
    expect(w.out() + w.err()).not.toContain(fake.token);
  });

  it('serves the webhook on 127.0.0.1 with the secret: a webhook refreshes at once', async () => {
    const out = join(tmp.dir, 'webhook');
    const w = watch(out, ['--poll-interval', 'off', '--webhook-port', '0']);
    const [, port] = await w.waitFor(
      /webhook: POST http:\/\/127\.0\.0\.1:(\d+)\/__buttercms\/webhook\?secret=<BUTTERCMS_WEBHOOK_SECRET>/,
    );
    await w.waitFor(/watching ButterCMS/);
    const url = `http://127.0.0.1:${port}/__buttercms/webhook`;

    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'guide-a')!;
      page.name = 'Guide from a webhook';
      page.updated = new Date().toISOString();
    });
    const subject = { page: { pageType: 'guide', slug: 'guide-a' } };
    expect(await fake.sendWebhook(`${url}?secret=wrong-secret`, 'page.published', subject)).toBe(
      401,
    );
    expect(await fake.sendWebhook(url, 'page.published', subject)).toBe(401);
    const started = Date.now();
    expect(await fake.sendWebhook(`${url}?secret=${SECRET}`, 'page.published', subject)).toBe(202);
    await w.waitFor(/content changed \(webhook page\.published guide-a\): \d+ snapshot files/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await guideA(out)).toContain('Guide from a webhook');

    w.child.kill('SIGINT');
    expect(await w.exit).toBe(0);
    const printed = w.out() + w.err();
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain(fake.token);
  });

  it('restarts with the new options when the config file changes', async () => {
    const out = join(tmp.dir, 'config');
    const config = join(tmp.dir, 'watch.config.json');
    await writeFile(config, JSON.stringify({ levels: 2 }));
    const w = watch(out, ['--poll-interval', 'off', '--config', config]);
    await w.waitFor(/watching ButterCMS/);
    expect((await readManifest(out))?.levels).toBe(2);
    await writeFile(config, JSON.stringify({ levels: 3 }));
    await w.waitFor(/watch\.config\.json changed: configuration reloaded/);
    // A full sync with them follows (levels only change the manifest: no content line).
    await resynced(w, out, 3);
    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
  });

  it('reloads a config file written in two steps once, without reading it half-written', async () => {
    const out = join(tmp.dir, 'config-slow');
    const config = join(tmp.dir, 'slow.config.json');
    await writeFile(config, JSON.stringify({ levels: 2 }));
    const w = watch(out, ['--poll-interval', 'off', '--config', config]);
    await w.waitFor(/watching ButterCMS/);
    // Half the file, a pause longer than a change event takes to fire, then the rest.
    const file = await open(config, 'w');
    await file.write('{"levels":');
    await new Promise((r) => setTimeout(r, 150));
    await file.write(' 3}');
    await file.close();
    await w.waitFor(/slow\.config\.json changed: configuration reloaded/);
    await resynced(w, out, 3);
    expect(w.err()).not.toMatch(/error|keeping the previous configuration/);
    expect(w.out().match(/configuration reloaded/g)).toHaveLength(1);
    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
  });

  it('keeps the configuration when the config file breaks, saying where', async () => {
    const out = join(tmp.dir, 'config-broken');
    const config = join(tmp.dir, 'broken.config.json');
    await writeFile(config, JSON.stringify({ levels: 2 }));
    const w = watch(out, ['--poll-interval', 'off', '--config', config]);
    await w.waitFor(/watching ButterCMS/);
    await writeFile(config, '{"levels": 3\n');
    const end = Date.now() + 10_000;
    while (!w.err().includes('keeping the previous configuration')) {
      if (Date.now() > end) throw new Error(`no error line in:\n${w.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(w.err()).toMatch(
      new RegExp(
        `\\n\\[\\d\\d:\\d\\d:\\d\\d\\] error: broken\\.config\\.json changed, but: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 2, column 1: invalid JSON: Expected ',' or '}' after property value; keeping the previous configuration\\n$`,
      ),
    );
    expect((await readManifest(out))?.levels).toBe(2);
    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
  });

  it('keeps watching when a refresh fails', async () => {
    const out = join(tmp.dir, 'failure');
    const w = watch(out, ['--poll-interval', 'off', '--webhook-port', '0', '--retries', '0']);
    const [, port] = await w.waitFor(/webhook: POST http:\/\/127\.0\.0\.1:(\d+)\//);
    await w.waitFor(/watching ButterCMS/);
    const url = `http://127.0.0.1:${port}/__buttercms/webhook?secret=${SECRET}`;
    const subject = { page: { pageType: 'guide', slug: 'guide-a' } };
    fake.setFaults({ rate5xx: 1 });
    try {
      expect(await fake.sendWebhook(url, 'page.published', subject)).toBe(202);
      const end = Date.now() + 10_000;
      while (!/refresh \(webhook .*\) failed, keeping the snapshot/.test(w.err())) {
        if (Date.now() > end) throw new Error(`no failure line in:\n${w.err()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      fake.setFaults({});
    }
    fake.updateAccount((a) => {
      a.pages.find((p) => p.slug === 'guide-a')!.name = 'Recovered guide';
    });
    expect(await fake.sendWebhook(url, 'page.published', subject)).toBe(202);
    await w.waitFor(/content changed \(webhook page\.published guide-a\)/);
    expect(await guideA(out)).toContain('Recovered guide');
    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
  });
});
