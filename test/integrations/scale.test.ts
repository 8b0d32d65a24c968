/**
 * Splitting at scale: on a generated account (hundreds of pages, posts and items), a bundle
 * whose code reads one page loads that page's chunk and a few small ones — not the account.
 * Prints what was loaded.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import buttercms from '../../src/vite.ts';
import { type FakeButter, listFiles, optionsFor, startFakeButter, tmpDir } from './utils.ts';

const run = promisify(execFile);
const SPEC = 'generated:pages=400,posts=300,items=200,seed=3';

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter({ account: SPEC });
});
afterAll(async () => {
  await fake?.close();
});

describe('splitting on a large account', () => {
  it('loads one entity chunk and a few small ones for a page that reads one entity', async () => {
    const root = await tmpDir('scale');
    const outDir = join(root, 'dist');
    const fixture = new URL('./fixtures/scale/', import.meta.url).pathname;
    await build({
      root: fixture,
      configFile: false,
      logLevel: 'silent',
      plugins: [
        buttercms(
          optionsFor(fake, root, { pageTypes: ['landing-page'], collections: [], media: false }),
        ),
      ],
      build: {
        outDir,
        emptyOutDir: true,
        lib: { entry: join(fixture, 'main.js'), formats: ['es'], fileName: () => 'main.js' },
      },
    });
    const index = JSON.parse(
      await readFile(join(root, '.buttercms/locales/_default/index.json'), 'utf8'),
    ) as { pageTypes: Record<string, string[]> };
    const slug = index.pageTypes['landing-page']![0]!;

    // Run the bundle with a hook that records every module file Node loads.
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const m = await import(process.argv[1]);
      const page = await m.render();
      process.stdout.write(JSON.stringify({ page, loaded }));`;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(join(outDir, 'main.js')).href],
      { env: { ...process.env, BUTTER_SLUG: slug }, maxBuffer: 64 * 1024 * 1024 },
    );
    const { page, loaded } = JSON.parse(stdout) as { page: { slug: string }; loaded: string[] };
    expect(page.slug).toBe(slug);

    const all = (await listFiles(outDir)).filter((f) => f.endsWith('.js'));
    const used = loaded
      .filter((u) => u.startsWith(pathToFileURL(outDir).href))
      .map(
        (u) => decodeURIComponent(u.slice(pathToFileURL(outDir).href.length + 1)).split('?')[0]!,
      );
    const bytes = async (files: string[]) => {
      let n = 0;
      for (const f of files) n += (await stat(join(outDir, f))).size;
      return n;
    };
    const sizes: Record<string, number> = {};
    for (const f of used) sizes[f] = (await stat(join(outDir, f))).size;
    const report = {
      loaded: sizes,
      chunks: all.length,
      loadedChunks: used.length,
      bytes: await bytes(all),
      loadedBytes: await bytes(used),
    };
    console.log(`[scale] ${JSON.stringify(report)}`);
    expect(report.chunks).toBeGreaterThan(500);
    expect(report.loadedChunks).toBeLessThan(15);
    expect(report.loadedBytes).toBeLessThan(report.bytes / 10);
  }, 120_000);
});
