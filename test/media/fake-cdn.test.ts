import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ButterError } from '../../src/core/errors.ts';
import { collectMediaUrls, type MediaWarning, syncMedia } from '../../src/core/media/index.ts';
import type { Json, JsonObject, SnapshotContent } from '../../src/core/model/content.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { deepFreeze } from './content.ts';
import { type FakeSetup, mediaRequests, setupFake } from './fake.ts';
import { startStub } from './stub.ts';

const LOCAL = /\/buttercms\/[0-9a-f]{32}\.[a-z0-9]+/g;

function strings(value: Json | undefined, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) strings(v, out);
  return out;
}

const allStrings = (content: SnapshotContent) => strings(content as unknown as Json);

describe.each(['small', 'generated:pages=40,posts=40,items=30,seed=5,locales=en+fr'])(
  'media of the fake account %s',
  (account) => {
    let env: FakeSetup;
    beforeAll(async () => {
      env = await setupFake(account);
    }, 60_000);
    afterAll(() => env?.close());

    it('downloads every media URL byte for byte and rewrites them all', async () => {
      const options = env.options({ out: 'a' });
      const uses = collectMediaUrls(env.content, options.mediaHosts);
      // Every URL the account lists is found in the content (fields, HTML, srcset, Filestack).
      const listed = Object.keys(env.fake.account.media).map((u) => env.fake.mediaUrl(u));
      expect([...uses.keys()].sort()).toEqual(
        listed.filter((u) => allStrings(env.content).some((s) => s.includes(u))).sort(),
      );
      expect(uses.size).toBeGreaterThan(10);
      const input = deepFreeze(structuredClone(env.content));
      const { content, report } = await syncMedia(input, options);
      expect(report.failed).toEqual([]);
      expect(report.downloaded).toBe(uses.size);
      for (const [url, entry] of report.files) {
        const served = Buffer.from(await (await fetch(url)).arrayBuffer());
        const local = await readFile(join(options.mediaDir, entry.file));
        expect(local.length).toBe(served.length);
        expect(local.equals(served), url).toBe(true);
      }
      // No media URL is left; every local path names a file on disk.
      expect(collectMediaUrls(content, options.mediaHosts).size).toBe(0);
      const locals = new Set(allStrings(content).flatMap((s) => s.match(LOCAL) ?? []));
      const files = new Set([...report.files.values()].map((f) => `/buttercms/${f.file}`));
      expect(locals).toEqual(files);
      expect(input).toEqual(env.content); // not mutated
    });

    it('changes only the URLs in HTML', async () => {
      const options = env.options({ out: 'a' });
      const uses = collectMediaUrls(env.content, options.mediaHosts);
      const { content } = await syncMedia(env.content, options);
      const before = allStrings(env.content);
      const after = allStrings(content);
      expect(after).toHaveLength(before.length);
      const urls = [...uses.keys()].sort((a, b) => b.length - a.length);
      let html = 0;
      for (let i = 0; i < before.length; i++) {
        if (!before[i]!.includes('<')) continue;
        html++;
        const masked = urls.reduce((s, u) => s.split(u).join('\u0000'), before[i]!);
        expect(after[i]!.replace(LOCAL, '\u0000')).toBe(masked);
      }
      expect(html).toBeGreaterThan(0);
    });

    it('downloads nothing the second time', async () => {
      const options = env.options({ out: 'b' });
      const first = await syncMedia(env.content, options);
      env.fake.resetLog();
      const second = await syncMedia(env.content, options);
      expect(second.report).toMatchObject({ downloaded: 0, failed: [], bytes: 0 });
      expect(second.report.cached).toBe(first.report.downloaded);
      expect(mediaRequests(env.fake)).toEqual([]);
      expect(second.content).toEqual(first.content);
    });

    it('keeps remote URLs and fetches nothing with media: false', async () => {
      env.fake.resetLog();
      const { content, report } = await syncMedia(env.content, env.options({ media: false }));
      expect(content).toEqual(env.content);
      expect(report.downloaded + report.cached).toBe(0);
      expect(mediaRequests(env.fake)).toEqual([]);
    });
  },
);

describe('media failures and the host policy (fake CDN)', () => {
  let env: FakeSetup;
  beforeAll(async () => {
    env = await setupFake('small');
  }, 60_000);
  afterAll(() => env?.close());

  const firstUse = (content: SnapshotContent, hosts: string[]) => {
    const [url, uses] = [...collectMediaUrls(content, hosts)][0]!;
    return { url, use: uses[0]! };
  };

  it('warns about a 404 naming URL, entity and field, keeps the URL; strict fails', async () => {
    const options = env.options({ out: 'f404' });
    const { url, use } = firstUse(env.content, options.mediaHosts);
    const path = new URL(url).pathname;
    env.fake.setFaults({ match: path, script: [{ status: 404, body: 'gone' }] });
    const warnings: MediaWarning[] = [];
    const { content, report } = await syncMedia(env.content, options, {
      onWarning: (w) => warnings.push(w),
    });
    expect(report.failed).toEqual([{ url, reason: 'HTTP 404', status: 404 }]);
    expect(warnings).toHaveLength(1);
    // The user's entity and field, once for both locales; not the probes that copy it.
    expect(use).toMatchObject({
      entity: 'single page simple-page',
      field: 'fields.hero_image.url',
    });
    expect(warnings[0]!.message).toBe(
      `media not downloaded: ${url} (HTTP 404), used by single page simple-page (en, fr) at hero_image; the URL stays remote`,
    );
    expect(allStrings(content).some((s) => s.includes(url))).toBe(true);

    env.fake.setFaults({ match: path, script: [{ status: 404, body: 'gone' }] });
    const strict = env.options({ out: 'f404-strict', strict: true });
    const failure = await syncMedia(env.content, strict).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ButterError);
    expect((failure as ButterError).code).toBe('MEDIA');
    expect((failure as ButterError).message).toBe(
      `[buttercms] 1 media file could not be downloaded (strict mode):\n  - ${url} (HTTP 404), used by single page simple-page (en, fr) at hero_image\n  → Fix or remove the media in ButterCMS, or sync without \`strict\` to keep these URLs remote.`,
    );
    env.fake.setFaults({});
  });

  it('warns about a timeout and a file over the size cap', async () => {
    const options = env.options({ out: 'slow', timeout: 150, retries: 1 });
    const { url } = firstUse(env.content, options.mediaHosts);
    env.fake.resetLog();
    env.fake.setFaults({ match: new URL(url).pathname, latencyMs: 600 });
    const warnings: MediaWarning[] = [];
    const { report } = await syncMedia(env.content, options, {
      onWarning: (w) => warnings.push(w),
      maxBytes: 300,
      retryDelay: () => 0,
    });
    env.fake.setFaults({});
    // The fake logs the two delayed requests when it answers them, after we gave up.
    await vi.waitFor(() => {
      expect(env.fake.log.filter((e) => e.path === new URL(url).pathname)).toHaveLength(2);
    });
    const reasons = new Map(report.failed.map((f) => [f.url, f.reason]));
    expect(reasons.get(url)).toBe('timed out (nothing received for 150 ms)');
    expect([...reasons.values()]).toContain('larger than 300 bytes');
    expect(warnings.map((w) => w.url).sort()).toEqual([...reasons.keys()].sort());
    for (const w of warnings) expect(w.uses.length).toBeGreaterThan(0);
  });

  it('never requests a URL on another host, nor follows a redirect to it', async () => {
    const other = await startStub((_req, res) => void res.writeHead(200).end('secret'));
    try {
      const options = env.options({ out: 'hosts' });
      const { url } = firstUse(env.content, options.mediaHosts);
      const content = structuredClone(env.content);
      const page = (content.locales[0]!.singlePages[0] ?? content.blog.posts[0]) as JsonObject;
      page.injected = {
        plain: `${other.url}/plain.png`,
        media: { url: `${other.url}/media`, alt: '' },
        metadata: 'http://169.254.169.254/latest/meta-data/',
        html: `<p><img src="${other.url}/img" srcset="${other.url}/a 1x, ${url} 2x"><a href="${other.url}/doc.pdf">x</a></p>`,
      };
      env.fake.setFaults({
        match: new URL(url).pathname,
        script: [{ status: 302, body: '', headers: { location: `${other.url}/redirected` } }],
      });
      const { content: out, report } = await syncMedia(content, options);
      env.fake.setFaults({});
      expect(other.requests).toEqual([]);
      expect(report.failed).toEqual([
        {
          url,
          reason: `redirected to ${other.url}/redirected, which is not on a media host (not followed)`,
        },
      ]);
      const injected = ((out.locales[0]!.singlePages[0] ?? out.blog.posts[0]) as JsonObject)
        .injected as JsonObject;
      expect(injected).toEqual({
        ...(page.injected as JsonObject),
        html: `<p><img src="${other.url}/img" srcset="${other.url}/a 1x, ${url} 2x"><a href="${other.url}/doc.pdf">x</a></p>`,
      });
    } finally {
      await other.close();
    }
  });

  it('works inside sync(): the snapshot stores local URLs, the second sync fetches no media', async () => {
    const options = env.syncOptions({ out: 'snap' });
    const warnings: string[] = [];
    const first = await sync(options, { logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toEqual([]);
    expect(first.media).toMatchObject({ failed: 0, cached: 0 });
    const { content } = await readSnapshot(join(env.root, 'snap'));
    expect(collectMediaUrls(content, [env.host]).size).toBe(0);
    expect(allStrings(content).some((s) => LOCAL.test(s))).toBe(true);
    env.fake.resetLog();
    const second = await sync(options, { logger: { warn: (m) => warnings.push(m) } });
    // Unchanged entities are kept as stored (local paths): only refetched ones pass the cache.
    expect(second.media).toMatchObject({ downloaded: 0, failed: 0 });
    expect(second.changed).toBe(false);
    expect(mediaRequests(env.fake)).toEqual([]);
    const manifest = JSON.parse(
      await readFile(join(env.root, 'snap', 'media', 'media-manifest.json'), 'utf8'),
    );
    expect(Object.keys(manifest.files)).toHaveLength(first.media?.downloaded as number);
  });

  it("tells each media retry to the logger's debug: the URL, why, the delay", async () => {
    const { url } = firstUse(env.content, env.options({ out: 'retried' }).mediaHosts);
    env.fake.setFaults({ script: ['503'], match: new URL(url).pathname });
    const debug: string[] = [];
    const result = await sync(env.syncOptions({ out: 'retried' }), {
      logger: { warn: () => {}, debug: (m) => debug.push(m) },
    });
    env.fake.setFaults({});
    expect(result.media).toMatchObject({ failed: 0 });
    const line = debug.find((m) => m.startsWith(`media ${url} `));
    expect(line).toMatch(/^media \S+ failed \(attempt 1: HTTP 503\), retrying in \d+ ms$/);
  });
});
