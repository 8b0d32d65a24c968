import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { readTree, tempDir } from '../sync/helpers.ts';
import { type Run, runCli, spawnCli } from './helpers.ts';

const INDEX = resolve(import.meta.dirname, '../../src/index.ts');
const TOKEN = 'SECRET-read-token-never-printed-7f3a9c';

const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!);

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
const seen: Run[] = [];
const snapshots: string[] = [];

async function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = await runCli(args, { cwd: opts.cwd ?? tmp.dir, env: opts.env });
  seen.push(result);
  return result;
}

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  fake.updateAccount((account) => {
    account.readToken = TOKEN;
  });
  tmp = await tempDir('butter-cli-');
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

describe('butter-sync', () => {
  it('prints help and version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--page-types');
    expect(help.stdout).toContain('Exit codes');
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('syncs from flags and prints one JSON object as the last line with --json', async () => {
    const out = join(tmp.dir, 'flags-out');
    snapshots.push(out);
    const r = await cli([
      '--token',
      TOKEN,
      '--api-url',
      fake.apiUrl,
      '--out',
      'flags-out',
      '--locales',
      'en,fr',
      '--page-types',
      'guide',
      '--collections',
      'faq',
      '--no-media',
      '--no-types',
      '--concurrency',
      '4',
      '--page-size',
      '50',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = lastJson(r.stdout);
    expect(json).toMatchObject({
      ok: true,
      out,
      changed: true,
      locales: ['en', 'fr'],
      pageTypes: ['guide', 'landing-page'],
      discovered: {
        pageTypes: ['landing-page'],
        collections: ['feature', 'navigation_menu', 'navigation_menu_item'],
      },
    });
    expect(json.collections).toContain('faq');
    expect(json.requests).toBeGreaterThan(0);
    expect(json.entities.posts).toBeGreaterThan(0);
    expect(typeof json.durationMs).toBe('number');
    expect((await readManifest(out))?.locales).toEqual(['en', 'fr']);
  });

  it('prints a one-line summary and the discovered names when not a TTY', async () => {
    const r = await cli(['--no-media', '--no-types', '--page-types', 'guide', '--out', 'plain'], {
      env: { BUTTERCMS_API_TOKEN: TOKEN, BUTTERCMS_API_URL: fake.apiUrl },
    });
    snapshots.push(join(tmp.dir, 'plain'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synced .*pages? .* in \d.* · \d+ requests/m);
    expect(r.stdout).toContain('discovered through references');
    expect(r.stdout).toContain('landing-page');
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('finishes the sync when its reader stops early (`butter-sync 2>&1 | head -1`)', async () => {
    const out = join(tmp.dir, 'reader-gone');
    snapshots.push(out);
    const running = spawnCli(['--no-media', '--no-types', '--page-types', 'guide', '--out', out], {
      cwd: tmp.dir,
      env: { BUTTERCMS_API_TOKEN: TOKEN, BUTTERCMS_API_URL: fake.apiUrl },
    });
    // The first line read, the pipes close: every later line (the summary, the discovered
    // names) is written into a closed pipe.
    const { stdout, stderr } = running.child;
    stderr!.once('data', () => {
      stdout!.destroy();
      stderr!.destroy();
    });
    expect(await running.exit).toBe(0);
    expect((await readManifest(out))?.locales).toBeDefined();
    expect(existsSync(`${out}.lock.owner`)).toBe(false);
  });

  it('reads butter.config.ts from a parent folder; flags win over it and it over the environment', async () => {
    const project = join(tmp.dir, 'project');
    const nested = join(project, 'src', 'deep');
    await mkdir(nested, { recursive: true });
    await writeFile(
      join(project, 'butter.config.ts'),
      `import { defineConfig } from ${JSON.stringify(INDEX)};
export default defineConfig({
  apiUrl: ${JSON.stringify(fake.apiUrl)},
  out: 'from-config',
  pageTypes: ['guide', 'landing-page'],
  collections: ['faq'],
  media: false,
  types: false,
});
`,
    );
    const viaConfig = await cli(['--json'], { cwd: nested, env: { BUTTERCMS_API_TOKEN: TOKEN } });
    expect(viaConfig.code).toBe(0);
    const json = lastJson(viaConfig.stdout);
    expect(json.out).toBe(join(project, 'from-config'));
    expect(json.discovered.pageTypes).toEqual([]);
    snapshots.push(json.out);

    const override = await cli(['--json', '--out', 'flag-out', '--levels', '3'], {
      cwd: nested,
      env: { BUTTERCMS_API_TOKEN: TOKEN, BUTTERCMS_API_URL: 'http://127.0.0.1:9/v2' },
    });
    expect(override.code).toBe(0);
    const overridden = lastJson(override.stdout);
    expect(overridden.out).toBe(join(nested, 'flag-out'));
    expect(overridden.levels).toBe(3);
    snapshots.push(overridden.out);
  });

  it('reads a JSON config named with --config', async () => {
    const file = join(tmp.dir, 'custom.json');
    await writeFile(
      file,
      JSON.stringify({
        apiUrl: fake.apiUrl,
        token: TOKEN,
        out: 'json-out',
        media: false,
        types: false,
      }),
    );
    const r = await cli(['--config', 'custom.json', '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout).out).toBe(join(tmp.dir, 'json-out'));
    snapshots.push(join(tmp.dir, 'json-out'));
  });
});

describe('butter-sync types', () => {
  it('regenerates the declarations from a snapshot with no token and no network', async () => {
    const r = await cli(['types', '--out', 'flags-out', '--types', 'gen/butter.d.ts', '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({
      ok: true,
      changed: true,
      file: join(tmp.dir, 'gen/butter.d.ts'),
    });
    const missing = await cli(['types', '--out', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Run `butter-sync` first');
  });
});

describe('butter-sync exit codes', () => {
  it.each([
    [['--levels', '9'], /levels/, '--levels'],
    [['--levels', 'deep'], /--levels/, '--levels'],
    [['--concurrency', '0'], /concurrency/, '--concurrency'],
    [['--bogus'], /--bogus/, '--bogus'],
    [['frobnicate'], /unknown command "frobnicate"/, 'command'],
    [['--api-url', 'not a url'], /apiUrl/, '--api-url'],
    [['--page-types', 'bad/slug'], /pageTypes/, '--page-types'],
    [['--config', 'missing.config.ts'], /config/, '--config'],
  ])('exits 2 for %j naming the option', async (args, pattern, flag) => {
    const r = await cli([...args, '--token', TOKEN, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toContain(flag === 'command' ? 'command' : flag);
    expect(lastJson(r.stdout)).toMatchObject({ ok: false, exitCode: 2 });
  });

  it('exits 2 without a token, saying where to set it', async () => {
    const r = await cli(['--api-url', fake.apiUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`token`');
    expect(r.stderr).toContain('BUTTERCMS_API_TOKEN');
  });

  it('exits 2 for a config file with a bad value', async () => {
    const dir = join(tmp.dir, 'bad-config');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'butter.config.mjs'), 'export default { levels: 7 };\n');
    const r = await cli(['--token', TOKEN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('levels');
  });

  it('exits 1 naming an unknown page type, leaving the snapshot untouched', async () => {
    const out = join(tmp.dir, 'flags-out');
    const before = await readTree(out);
    const r = await cli([
      '--token',
      TOKEN,
      '--api-url',
      fake.apiUrl,
      '--out',
      'flags-out',
      '--page-types',
      'guide,does-not-exist',
      '--no-media',
      '--json',
    ]);
    expect(r.code).toBe(1);
    // Only the real error: none of the requests its failure stopped is reported as a 404.
    expect(r.stderr).toMatch(
      new RegExp(
        `^\\[buttercms\\] unknown page type \`does-not-exist\`: check the slug in ButterCMS → Page Types \\(the API answers 404 for /pages/does-not-exist/\\)
  → Fix or remove \`does-not-exist\` in \`pageTypes\` \\(--page-types\\)\\.
  The snapshot in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(synced \\d+ s ago\\) and ${join(tmp.dir, 'buttercms.d.ts')} are untouched\\.
$`,
      ),
    );
    expect(lastJson(r.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      error: { code: 'NOT_FOUND' },
    });
    expect(await readTree(out)).toEqual(before);
  });

  it('exits 1 for a token the API refuses, without printing it', async () => {
    const wrong = 'WRONG-token-also-never-printed-0042';
    const r = await cli(['--token', wrong, '--api-url', fake.apiUrl, '--out', 'refused', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.toLowerCase()).toContain('token');
    expect(`${r.stdout}${r.stderr}`).not.toContain(wrong);
    expect(lastJson(r.stdout).error.code).toBe('AUTH');
  });

  it('never prints a token with + / = that the server echoes URL-encoded', async () => {
    const token = 'tok+en/with==signs';
    const echoed = [encodeURIComponent(token), encodeURIComponent(token).toLowerCase()];
    fake.setFaults({
      match: '/posts/',
      script: [
        { status: 401, body: JSON.stringify({ detail: `Invalid token ${echoed.join(' or ')}.` }) },
      ],
    });
    try {
      const r = await cli([
        '--token',
        token,
        '--api-url',
        fake.apiUrl,
        '--out',
        'echoed',
        '--json',
      ]);
      expect(r.code).toBe(1);
      expect(lastJson(r.stdout).error.code).toBe('AUTH');
      expect(r.stderr).toContain('Invalid token *** or ***.');
      for (const form of [token, ...echoed]) expect(`${r.stdout}${r.stderr}`).not.toContain(form);
    } finally {
      fake.setFaults({});
    }
  });

  it('says once what a failed sync left on disk', async () => {
    const args = ['--token', TOKEN, '--api-url', fake.apiUrl, '--page-types', 'does-not-exist'];
    const none = await cli([...args, '--out', 'never-synced']);
    expect(none.code).toBe(1);
    expect(none.stderr).not.toMatch(/untouched|snapshot in/);
    const kept = await cli([...args, '--out', 'flags-out', '--no-types']);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(
      new RegExp(
        `\n  The snapshot in ${join(tmp.dir, 'flags-out')} \\(synced .* ago\\) is untouched\\.\n`,
      ),
    );
    expect(kept.stderr.match(/untouched/g)).toHaveLength(1);
  });

  it('exits 1 when the API cannot be reached and there is no snapshot', async () => {
    const r = await cli(['--token', TOKEN, '--api-url', 'http://127.0.0.1:9/v2', '--retries', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `[buttercms] cannot sync ButterCMS content (GET /v2/posts/?page=1&page_size=100 failed: could not reach 127.0.0.1:9 (ECONNREFUSED).), and there is no snapshot to fall back on in ${join(tmp.dir, '.buttercms')}
  → Check the network connection, any proxy, and \`apiUrl\`; if ButterCMS is down, see https://status.buttercms.com. Or sync once where the API is reachable (\`butter-sync\`) and keep that snapshot.
`,
    );
  });

  it('says the API URL probably lacks /v2 when it answers 404 without it', async () => {
    const r = await cli(['--token', TOKEN, '--api-url', fake.url, '--out', 'no-version']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\[buttercms\] GET \/\S+ → 404 Not Found: "Not Found"\.\n/);
    expect(r.stderr).toContain(
      `\n  → The API URL ${fake.url} does not end in /v2: the base URL is probably missing \`/v2\` (\`apiUrl\`, --api-url or BUTTERCMS_API_URL; the default is https://api.buttercms.com/v2).\n`,
    );
    expect(r.stderr).not.toContain('check the page type');
  });
});

describe('butter-sync config files', () => {
  async function project(name: string, file: string, text: string) {
    const dir = join(tmp.dir, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, file), text);
    return { dir, file: join(dir, file) };
  }

  it('names the file and the nearest option for an unknown key', async () => {
    const { dir, file } = await project('typo', 'butter.config.json', '{"pageType": ["guide"]}');
    const r = await cli(['--token', TOKEN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `[buttercms] ${file}: unknown option \`pageType\`; did you mean \`pageTypes\`?\n`,
    );
  });

  it.each([
    [
      'butter.config.ts',
      "export default {\n  pageTypes: ['guide']\n  levels: 2,\n};\n",
      'line 3, column 3: syntax error: Unexpected token, expected ","',
    ],
    [
      'butter.config.json',
      '{\n  "pageTypes": ["guide"],\n}\n',
      'line 3, column 1: invalid JSON: Expected double-quoted property name',
    ],
    [
      'butter.config.mjs',
      "export default {\n  pageTypes: ['guide'],\n  levels: two,\n};\n",
      'line 3, column 11: two is not defined',
    ],
  ])('gives the line and column of an error in %s', async (name, text, where) => {
    const { dir, file } = await project(`broken-${name}`, name, text);
    const r = await cli(['--token', TOKEN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`[buttercms] ${file}: ${where}\n`);
  });

  it('says what a config file must export', async () => {
    const { dir, file } = await project('no-object', 'butter.config.mjs', 'export default 42;\n');
    const r = await cli(['--token', TOKEN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `[buttercms] ${file}: must export an object of options (export default defineConfig({ … }))\n`,
    );
  });

  it('names the file a bad value is in', async () => {
    const { dir, file } = await project(
      'bad-value',
      'butter.config.mjs',
      'export default { levels: 7 };\n',
    );
    const r = await cli(['--token', TOKEN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `[buttercms] Invalid option \`levels\`: expected an integer from 1 to 5, got 7\n  (set with --levels or \`levels\` in ${file})\n`,
    );
  });
});

describe('debug lines', () => {
  const sync = (name: string, flags: string[], env?: Record<string, string>) => {
    fake.setFaults({ script: ['500'] });
    const args = ['--token', TOKEN, '--api-url', fake.apiUrl, '--out', name, '--no-media'];
    return cli([...args, '--no-types', '--page-types', 'guide', ...flags], { env });
  };
  const RETRY =
    /^debug: GET \/v2\/\S+ failed \(attempt 1: 500 Internal Server Error\), retrying in \d+ ms$/m;
  afterAll(() => fake.setFaults({}));

  it('--verbose shows each retry: the request, why, the delay', async () => {
    const r = await sync('verbose-out', ['--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(RETRY);
  });

  it('DEBUG=unplugin-buttercms does the same; without either, no debug lines', async () => {
    const asked = await sync('debug-env-out', [], { DEBUG: 'vite:*,unplugin-buttercms' });
    expect(asked.stderr).toMatch(RETRY);
    const plain = await sync('plain-out', [], { DEBUG: '' });
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('debug:');
  });
});

describe('token hygiene', () => {
  it('never printed the token, nor wrote it into a snapshot', async () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const r of seen) {
      expect(r.stdout).not.toContain(TOKEN);
      expect(r.stderr).not.toContain(TOKEN);
    }
    expect(snapshots.length).toBeGreaterThan(3);
    for (const dir of snapshots) {
      for (const [path, text] of await readTree(dir)) expect(text, path).not.toContain(TOKEN);
    }
  });
});
