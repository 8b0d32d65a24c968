/**
 * The published entries (dist/, built by `npm run build` before the tests in CI): the plugin
 * from dist bundles `virtual:buttercms` with dist/runtime.js for the browser.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has } from '../requirements.ts';
import {
  type FakeButter,
  listFiles,
  optionsFor,
  renderOutput,
  startFakeButter,
  tmpDir,
} from './utils.ts';

const DIST = new URL('../../dist/', import.meta.url).pathname;

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

describe.skipIf(!has('dist'))('dist', () => {
  it('ships a browser-safe runtime', async () => {
    const runtime = await readFile(join(DIST, 'runtime.js'), 'utf8');
    expect(runtime).not.toMatch(/from ["']node:|require\(|\bBuffer\./);
  });

  it('bundles virtual:buttercms for the browser with the published esbuild entry', async () => {
    const root = await tmpDir('dist-esbuild');
    const { build } = await import('esbuild');
    const plugin = (await import(join(DIST, 'esbuild.js'))).default;
    await build({
      entryPoints: [new URL('./fixtures/esbuild/main.js', import.meta.url).pathname],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir: join(root, 'dist'),
      logLevel: 'silent',
      plugins: [plugin(optionsFor(fake, root))],
    });
    const files = await listFiles(join(root, 'dist'));
    expect(files.some((f) => f.startsWith('buttercms/'))).toBe(true);
    const rendered = await renderOutput<{ single: { name: string } }>(join(root, 'dist/main.js'));
    expect(rendered.single.name).toBeTruthy();
  });

  it('types virtual:buttercms through client.d.ts and the generated augmentation', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { execFile } = await import('node:child_process');
    const dir = await tmpDir('dist-types');
    await mkdir(dir, { recursive: true });
    const client = new URL('../../client.d.ts', import.meta.url).pathname;
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          lib: ['ES2023', 'DOM'],
        },
        files: [client, 'use.ts', 'augment.d.ts'],
      }),
    );
    await writeFile(
      join(dir, 'augment.d.ts'),
      "export {};\ndeclare module 'unplugin-buttercms' {\n  interface ButterPageTypes { 'landing-page': { headline: string } }\n}\n",
    );
    await writeFile(
      join(dir, 'use.ts'),
      [
        "import { butter, getPages, getPosts, snapshot } from 'virtual:buttercms';",
        "const page = await butter.page.retrieve('landing-page', 'home');",
        'const headline: string = page.data.data.fields.headline;',
        "const pages = await getPages('landing-page');",
        'const h2: string = pages[0]!.fields.headline;',
        'const slug: string = (await getPosts())[0]!.slug;',
        'const at: string = snapshot.syncedAt;',
        '// @ts-expect-error not a field of landing pages',
        'page.data.data.fields.nope;',
        'export { headline, h2, slug, at };',
      ].join('\n'),
    );
    const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', dir], (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, out: stdout + stderr }),
      );
    });
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});
