/**
 * What `butter-sync` does and says around a sync, run as a user runs it: the build plugins'
 * policy (`--offline fallback|error`, `--max-age`), an interrupted sync, and media the
 * configured hosts leave remote.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { readTree, tempDir } from '../sync/helpers.ts';
import { runCli } from './helpers.ts';

const UNREACHABLE = 'http://127.0.0.1:9/v2';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir('butter-policy-');
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

const cli = (args: string[]) =>
  runCli(['--page-types', 'guide', '--no-types', ...args], {
    cwd: tmp.dir,
    env: { BUTTERCMS_API_TOKEN: fake.token },
  });
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('when the API cannot be reached', () => {
  it('goes on with the snapshot, saying how old it is; --offline error fails instead', async () => {
    const out = join(tmp.dir, 'offline');
    expect((await cli(['--api-url', fake.apiUrl, '--out', out, '--no-media'])).code).toBe(0);
    const before = await readTree(out);

    const fallback = await cli(['--api-url', UNREACHABLE, '--retries', '0', '--out', out]);
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toBe('');
    expect(fallback.stderr).toMatch(
      /^warning: API unreachable \(GET \/v2\/\S+ failed: could not reach 127\.0\.0\.1:9 \(ECONNREFUSED\)\.\): going on with the snapshot synced \d+ s ago \(20\d\d-[\d-]+T[\d:.]+Z\)\n$/,
    );
    const json = await cli(['--api-url', UNREACHABLE, '--retries', '0', '--out', out, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, source: 'offline', out });

    const strict = await cli([
      ...['--api-url', UNREACHABLE, '--retries', '0', '--out', out, '--offline', 'error'],
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      new RegExp(
        `^\\[buttercms\\] cannot sync ButterCMS content \\(GET /v2/\\S+ failed: could not reach 127\\.0\\.0\\.1:9 \\(ECONNREFUSED\\)\\.\\), and \`offline\` is 'error': no fallback on the snapshot
  → Set \`offline: 'fallback'\` \\(--offline fallback\\) to go on with the existing snapshot when the API is unreachable\\.
  The snapshot in ${literal(out)} \\(synced \\d+ s ago\\) is untouched\\.
$`,
      ),
    );
    expect(await readTree(out)).toEqual(before);

    const bad = await cli(['--out', out, '--offline', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'Invalid option `offline`: expected one of "fallback", "error", got "maybe"\n  (set with --offline',
    );
  });

  it('reuses a snapshot younger than --max-age without a request', async () => {
    const out = join(tmp.dir, 'fresh');
    expect((await cli(['--api-url', fake.apiUrl, '--out', out, '--no-media'])).code).toBe(0);
    const syncedAt = (await readManifest(out))?.syncedAt;
    fake.resetLog();
    const r = await cli(['--api-url', fake.apiUrl, '--out', out, '--max-age', '1h']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^using the snapshot synced \d+ s ago \(maxAge\)\n$/);
    expect(fake.log).toEqual([]);
    expect((await readManifest(out))?.syncedAt).toBe(syncedAt);
  });
});

describe('an interrupted sync', () => {
  /**
   * Runs a sync the fake answers slowly and sends SIGINT once it printed its first line (a
   * discovered listing: the crawl is under way, more listings to come).
   */
  async function interrupted(out: string) {
    fake.setFaults({ latencyMs: 400 });
    try {
      return await runCli(
        ['--api-url', fake.apiUrl, '--page-types', 'guide', '--out', out, '--no-media', '--full'],
        { cwd: tmp.dir, env: { BUTTERCMS_API_TOKEN: fake.token } },
        (child) => child.stderr?.once('data', () => child.kill('SIGINT')),
      );
    } finally {
      fake.setFaults({});
    }
  }

  it('says so once, and mentions a previous snapshot only when there is one', async () => {
    const out = join(tmp.dir, 'interrupted');
    const first = await interrupted(out);
    expect(first.code).toBe(1);
    // Lines about what the sync found before may come first.
    expect(first.stderr).toMatch(/(?:^|\n)\[buttercms\] sync stopped: interrupted \(Ctrl-C\)\n$/);
    expect(first.stderr.match(/interrupted|untouched|snapshot/g)).toEqual(['interrupted']);

    expect((await cli(['--api-url', fake.apiUrl, '--out', out, '--no-media'])).code).toBe(0);
    const again = await interrupted(out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `(?:^|\n)\\[buttercms\\] sync stopped: interrupted \\(Ctrl-C\\)\n  The snapshot in ${literal(out)} \\(synced \\d+ s ago\\) and ${literal(join(tmp.dir, 'buttercms.d.ts'))} are untouched\\.\n$`,
      ),
    );
  });
});

describe('media on hosts outside mediaHosts', () => {
  it('says how many URLs stay remote, on which hosts, and how to allow them', async () => {
    const host = new URL(fake.url).host;
    const out = join(tmp.dir, 'remote');
    const r = await cli(['--api-url', fake.apiUrl, '--out', out, '--locales', 'en,fr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^synced .* · 0 media \(0 new, 0 cached, 0 B\) · 18 media URLs left remote · 2 locales in /,
    );
    expect(r.stdout).toContain(
      `\nnote: 18 media URLs left remote, on hosts not in \`mediaHosts\`: ${host} (18). To download them, add the host to \`mediaHosts\` (--media-hosts), which replaces the default list, ButterCMS's own CDN hosts: list those too (cdn.buttercms.com,d2wzhk7xhrnk1x.cloudfront.net,d2devwt40at1e2.cloudfront.net,cdn.filestackcontent.com).\n`,
    );
    const allowed = await cli([
      ...['--api-url', fake.apiUrl, '--out', out, '--locales', 'en,fr', '--media-hosts', host],
    ]);
    expect(allowed.stdout).toMatch(/ · 18 media \(18 new, 0 cached, [\d.]+ kB\) · 2 locales in /);
    expect(allowed.stdout).not.toContain('left remote');
  });
});
