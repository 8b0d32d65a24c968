/**
 * The bundler-free watch loop (what `butter-sync --watch` and every dev server use) with a
 * recording host: change checks, refreshes that regenerate types when shapes change, config
 * reloads, and failures that keep the last good snapshot.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareSnapshot } from '../../src/core/build-start.ts';
import { resolveSnapshotOptions } from '../../src/core/options.ts';
import type { HostContext, SnapshotChange } from '../../src/core/watch/context.ts';
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
    const options = resolveSnapshotOptions(
      optionsFor(fake, root, { types: 'buttercms.d.ts', pollInterval: false }),
    );
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes } = recordingHost();
    watcher = await startWatch({ options, host });
    expect(watcher.secret.length).toBeGreaterThanOrEqual(16);

    await watcher.check();
    expect(changes).toHaveLength(0);

    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      page.fields.subtitle = 'A field nobody had seen';
      page.updated = new Date().toISOString();
    });
    await watcher.check();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reason).toBe('poll');
    expect(changes[0]!.files).toContain('locales/_default/pages/_single/simple-page.json');
    expect(changes[0]!.typesChanged).toBe(true);
    expect(await readFile(join(root, 'buttercms.d.ts'), 'utf8')).toContain('subtitle');
  });

  it('reloads the host when a config file changes', async () => {
    const root = await tmpDir('watcher-config');
    const config = join(root, 'butter.config.json');
    await writeFile(config, '{}');
    const options = resolveSnapshotOptions(optionsFor(fake, root, { pollInterval: false }));
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
    const options = resolveSnapshotOptions(
      optionsFor(fake, root, { pollInterval: false, retries: 0 }),
    );
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

describe('startWatch: change checks', () => {
  it('sees an edit to a collection item or a single page past the first page', async () => {
    const root = await tmpDir('watcher-pages');
    // One entity per page: every item but the first is past the first page.
    const options = resolveSnapshotOptions(
      optionsFor(fake, root, { pollInterval: false, pageSize: 1 }),
    );
    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'simple-page')!;
      a.pages.push({ ...structuredClone(page), slug: 'zz-second-single-page' });
    });
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes } = recordingHost();
    watcher = await startWatch({ options, host });
    await watcher.check();

    fake.updateAccount((a) => {
      const published = a.collections.feature!.filter((item) => item.status === 'published');
      published.at(-1)!.fields.name = 'Edited, on the last page';
    });
    await watcher.check();
    expect(changes.map((c) => c.reason)).toEqual(['poll']);
    expect(changes[0]!.files.some((file) => file.includes('/collections/feature/'))).toBe(true);

    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'zz-second-single-page')!;
      page.fields.headline = 'Edited, on the second page';
      page.updated = new Date().toISOString();
    });
    await watcher.check();
    expect(changes.map((c) => c.reason)).toEqual(['poll', 'poll']);
    expect(changes[1]!.files).toContain(
      'locales/_default/pages/_single/zz-second-single-page.json',
    );
  });
});

describe('startWatch: warnings', () => {
  it('shows a media file that keeps failing once, not on every refresh', async () => {
    const root = await tmpDir('watcher-media');
    const options = resolveSnapshotOptions(
      optionsFor(fake, root, { pollInterval: false, retries: 0 }),
    );
    const hero = Object.keys(fake.account.media).find((url) =>
      url.endsWith('c8oSTGcwQDC5I58km5WV'),
    )!;
    fake.setFaults({ match: new URL(fake.mediaUrl(hero)).pathname, rate5xx: 1 });
    const failing = (logs: string[]) =>
      logs.filter((l) => l.startsWith('warn media not downloaded'));
    try {
      const first = recordingHost();
      const topics: string[] = [];
      const log = {
        ...first.host.log,
        warn: (m: string, topic?: string) => {
          topics.push(topic ?? m);
          first.host.log.warn(m);
        },
      };
      await prepareSnapshot(options, { log });
      expect(failing(first.logs)).toHaveLength(1);

      const { host, logs } = recordingHost();
      watcher = await startWatch({ options, host, shownWarnings: topics });
      await watcher.refresh('one');
      await watcher.refresh('two');
      expect(failing(logs)).toEqual([]);
      await watcher.close();

      // A host that has not shown it yet: once, on the first refresh.
      const other = recordingHost();
      watcher = await startWatch({ options, host: other.host });
      await watcher.refresh('one');
      await watcher.refresh('two');
      expect(failing(other.logs)).toHaveLength(1);
    } finally {
      fake.setFaults({});
    }
  });
});

describe('startWatch: partial refreshes', () => {
  // Listings of a sync (`alt_media_text=1`), probes (levels=2) and the warm sync's one-item
  // checks (`order=-updated`) aside, and the blog's listings.
  const refreshRequests = () =>
    fake.log
      .filter((e) => e.path.startsWith('/v2/'))
      .filter(
        (e) =>
          (e.query.includes('alt_media_text=1') &&
            !e.query.includes('levels=2') &&
            !e.query.includes('order=-updated')) ||
          /^\/v2\/(authors|categories|tags)\//.test(e.path) ||
          e.path === '/v2/posts/',
      )
      .map((e) => e.path);

  it('a poll that sees one page type move fetches only that page type again', async () => {
    const root = await tmpDir('watcher-partial-poll');
    const options = resolveSnapshotOptions(optionsFor(fake, root, { pollInterval: false }));
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes } = recordingHost();
    watcher = await startWatch({ options, host });
    fake.updateAccount((a) => {
      const page = a.pages.find((p) => p.slug === 'guide-a')!;
      page.name = 'Guide A, polled';
      page.updated = new Date().toISOString();
    });
    fake.resetLog();
    await watcher.check();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reason).toBe('poll');
    expect(changes[0]!.files).toContain('locales/_default/pages/guide/guide-a.json');
    // Of the page types, only guide's listing is fetched (single pages and collections are
    // fetched on every poll: nothing cheaper tells whether they changed).
    const pageTypes = refreshRequests().filter((path) => /^\/v2\/pages\/(?!\*)/.test(path));
    expect(pageTypes.length).toBeGreaterThan(0);
    for (const path of pageTypes) expect(path).toMatch(/^\/v2\/pages\/guide\//);
  });

  it('a webhook re-syncs the collection it names, at once', async () => {
    const root = await tmpDir('watcher-partial-webhook');
    const options = resolveSnapshotOptions(
      optionsFor(fake, root, { pollInterval: false, webhookSecret: 's3cret-s3cret' }),
    );
    await prepareSnapshot(options, { log: recordingHost().host.log });
    const { host, changes } = recordingHost();
    watcher = await startWatch({ options, host });
    const server = createServer((req, res) =>
      watcher!.webhook(req, res, () => {
        res.statusCode = 404;
        res.end();
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const key = Object.keys(fake.account.collections).find((k) =>
        (options.collections ?? []).includes(k),
      )!;
      const item = fake.account.collections[key]![0]!;
      fake.updateAccount((a) => {
        const edited = a.collections[key]![0]!;
        const field = Object.keys(edited.fields).find((f) => typeof edited.fields[f] === 'string');
        edited.fields[field!] = 'edited by a webhook';
      });
      fake.resetLog();
      const target = `http://127.0.0.1:${port}/__buttercms/webhook?secret=s3cret-s3cret`;
      const status = await fake.sendWebhook(target, 'collectionitem.all', {
        item: { key, id: item.id },
      });
      expect(status).toBe(202);
      await until(() => changes.length > 0);
      expect(changes[0]!.reason).toBe(`webhook collectionitem.all ${key}`);
      const requests = refreshRequests();
      expect(requests.length).toBeGreaterThan(0);
      for (const path of requests) expect(path).toBe(`/v2/content/${key}/`);
    } finally {
      server.close();
    }
  });
});
