/**
 * Watch mode in the Vite dev server: polling sees a content change on the fake server,
 * re-syncs, invalidates the virtual modules and reloads the page; the webhook endpoint needs
 * its secret and re-syncs at once; a failed refresh keeps the last good snapshot.
 */
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAccount } from '../../fixtures/account/types.ts';
import type { Options } from '../../src/core/options.ts';
import buttercms from '../../src/vite.ts';
import { type FakeButter, optionsFor, startFakeButter, tmpDir } from './utils.ts';

const SECRET = 'test-webhook-secret';

let fake: FakeButter;
let server: ViteDevServer | undefined;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await fake?.close();
});

interface Sent {
  payload: unknown;
  data?: unknown;
}

let lastLogs: string[] = [];

async function devServer(name: string, extra: Options) {
  const root = await tmpDir(`dev-${name}`);
  const logs: string[] = [];
  lastLogs = logs;
  server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    server: { port: 0, ws: false },
    plugins: [buttercms(optionsFor(fake, root, { watch: true, webhookSecret: SECRET, ...extra }))],
    customLogger: {
      info: (m: string) => logs.push(m),
      warn: (m: string) => logs.push(m),
      warnOnce: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
      clearScreen: () => {},
      hasErrorLogged: () => false,
      hasWarned: false,
    },
  });
  const sent: Sent[] = [];
  const hot = server.environments.client!.hot;
  hot.send = ((payload: unknown, data?: unknown) => {
    sent.push({ payload, data });
  }) as typeof hot.send;
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  return { root, server, sent, logs, url };
}

async function simplePageName(s: ViteDevServer): Promise<string> {
  const mod = await s.ssrLoadModule('virtual:buttercms');
  const { data } = await mod.butter.page.retrieve('*', 'simple-page');
  return data.data.name;
}

function rename(name: string) {
  return (account: FakeAccount) => {
    const page = account.pages.find((p) => p.slug === 'simple-page')!;
    page.name = name;
    page.updated = new Date().toISOString();
  };
}

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting; logs:\n${lastLogs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const reloads = (sent: Sent[]) =>
  sent.filter((s) => (s.payload as { type?: string }).type === 'full-reload').length;

describe('vite dev server', () => {
  it('serves media, polls for changes, re-syncs and reloads the pages that read them', async () => {
    fake.updateAccount(rename('Simple Page'));
    const { server: s, sent, logs, url } = await devServer('poll', { pollInterval: 1000 });
    expect(await simplePageName(s)).toBe('Simple Page');
    await until(() => logs.some((l) => l.includes('watching ButterCMS')));

    // Media served from the snapshot under mediaBase.
    const mod = await s.ssrLoadModule('virtual:buttercms');
    const page = await mod.butter.page.retrieve('landing-page', 'landing-page-with-components');
    const image = JSON.stringify(page.data).match(/\/buttercms\/[0-9a-f]{32}\.[a-z0-9]+/)![0];
    const response = await fetch(new URL(image, url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\//);
    expect((await fetch(new URL('/buttercms/../package.json', url))).status).not.toBe(200);

    fake.updateAccount(rename('Simple Page, edited'));
    await until(() => reloads(sent) > 0);
    expect(await simplePageName(s)).toBe('Simple Page, edited');
    const update = sent.find((x) => x.payload === 'buttercms:update');
    expect((update!.data as { files: string[] }).files).toContain(
      'locales/_default/pages/_single/simple-page.json',
    );
    expect(logs.join('\n')).toMatch(/content changed \(poll\)/);
  });

  it('accepts webhooks only with the secret, and keeps the last good snapshot when a refresh fails', async () => {
    fake.updateAccount(rename('Simple Page'));
    const { server: s, sent, logs, url } = await devServer('webhook', { pollInterval: false });
    expect(await simplePageName(s)).toBe('Simple Page');
    await until(() => logs.some((l) => l.includes('watching ButterCMS')));
    expect(logs.join('\n')).not.toContain(SECRET);

    const endpoint = new URL('/__buttercms/webhook', url);
    const subject = { page: { pageType: null, slug: 'simple-page' } };
    expect(await fake.sendWebhook(endpoint.href, 'page.published', subject)).toBe(401);
    expect(
      await fake.sendWebhook(`${endpoint.href}?secret=wrong-secret`, 'page.all', subject),
    ).toBe(401);
    expect((await fetch(`${endpoint.href}?secret=${SECRET}`)).status).toBe(405);
    const bad = await fetch(`${endpoint.href}?secret=${SECRET}`, { method: 'POST', body: '{}' });
    expect(bad.status).toBe(400);

    fake.updateAccount(rename('Simple Page, from a webhook'));
    expect(
      await fake.sendWebhook(`${endpoint.href}?secret=${SECRET}`, 'page.published', subject),
    ).toBe(202);
    await until(() => reloads(sent) > 0);
    expect(await simplePageName(s)).toBe('Simple Page, from a webhook');

    // The API fails: the refresh logs, the dev server keeps serving the last snapshot.
    fake.setFaults({ rate5xx: 1 });
    fake.updateAccount(rename('never seen'));
    const before = reloads(sent);
    const headers = { 'x-buttercms-secret': SECRET };
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ data: { id: 'simple-page' }, webhook: { event: 'page.all' } }),
    });
    expect(res.status).toBe(202);
    await until(() => logs.some((l) => l.includes('failed, keeping the snapshot')));
    fake.setFaults({});
    expect(reloads(sent)).toBe(before);
    expect(await simplePageName(s)).toBe('Simple Page, from a webhook');
  });

  it('picks up a snapshot written by another process (butter-sync in another terminal)', async () => {
    fake.updateAccount(rename('Simple Page'));
    const { root, server: s, sent, logs } = await devServer('snapshot', { pollInterval: false });
    expect(await simplePageName(s)).toBe('Simple Page');
    await until(() => logs.some((l) => l.includes('watching ButterCMS')));
    fake.updateAccount(rename('Simple Page, synced elsewhere'));
    const { sync } = await import('../../src/core/sync/index.ts');
    await sync(optionsFor(fake, root));
    await until(() => reloads(sent) > 0);
    expect(await simplePageName(s)).toBe('Simple Page, synced elsewhere');
  });

  it('reads butter.config.* like the CLI, and restarts when it changes', async () => {
    const root = await tmpDir('dev-config');
    const { writeFile } = await import('node:fs/promises');
    const config = join(root, 'butter.config.json');
    await writeFile(config, JSON.stringify({ collections: ['faq'] }));
    const logs: string[] = [];
    lastLogs = logs;
    const { collections: _c, ...pluginOptions } = optionsFor(fake, root, {
      watch: true,
      pollInterval: false,
      webhookSecret: SECRET,
    });
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { port: 0, ws: false },
      plugins: [buttercms(pluginOptions)],
      customLogger: {
        info: (m: string) => logs.push(m),
        warn: (m: string) => logs.push(m),
        warnOnce: (m: string) => logs.push(m),
        error: (m: string) => logs.push(m),
        clearScreen: () => {},
        hasErrorLogged: () => false,
        hasWarned: false,
      },
    });
    await server.listen();
    const mod = await server.ssrLoadModule('virtual:buttercms');
    const faq = await mod.getCollection('faq');
    expect(faq).toHaveLength(2);
    await until(() => logs.some((l) => l.includes('watching ButterCMS')));
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(config, JSON.stringify({ collections: ['faq', 'feature'] }));
    await until(() => logs.some((l) => l.includes('butter.config.json changed: restarting')));
  });
});
