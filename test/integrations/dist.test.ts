/**
 * The published entries (dist/, built by `npm run build` before the tests in CI): the plugin
 * from dist bundles `virtual:buttercms` with dist/runtime.js for the browser.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeButter,
  importFresh,
  listFiles,
  optionsFor,
  startFakeButter,
  tmpDir,
} from './utils.ts';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const built = existsSync(join(DIST, 'esbuild.js')) && existsSync(join(DIST, 'runtime.js'));

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

describe.skipIf(!built && !process.env.CI)('dist', () => {
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
    const { render } = await importFresh<{ render(): Promise<{ single: { name: string } }> }>(
      join(root, 'dist/main.js'),
    );
    expect((await render()).single.name).toBeTruthy();
  });
});
