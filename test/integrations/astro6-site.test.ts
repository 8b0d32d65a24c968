/**
 * The Astro playground's sources on Astro 6 (playground/astro-6 holds its packages; the sources
 * are copied from playground/astro): `astro build` renders the content with synced images
 * optimised, and `astro check` passes on the typed astro.config.ts against Astro 6's own types.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has } from '../requirements.ts';
import { ASTRO, buildAstroPlayground } from './playground.ts';
import { installPackage, runCli } from './sites.ts';
import { type FakeButter, startFakeButter, tmpDir } from './utils.ts';

const skipped = !has('astro6Site');

let fake: FakeButter;
beforeAll(async () => {
  if (skipped) return;
  fake = await startFakeButter();
  await installPackage('astro6');
}, 120_000);
afterAll(async () => {
  await fake?.close();
});

describe.skipIf(skipped)('the Astro playground on Astro 6', () => {
  it('builds with optimised images, then passes astro check without a token', async () => {
    const { outDir, output } = await buildAstroPlayground(fake, await tmpDir('astro6'), 'astro6');
    expect(output).not.toMatch(/watching ButterCMS|webhook/);
    const landing = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(landing).toContain('Welcome to your ButterCMS Proof of Concept');
    expect(landing).toMatch(/<img src="\/_astro\/[0-9a-f]{32}\.[^"]+\.webp"/);

    const checked = await runCli('astro6', ASTRO, ['check'], {
      BUTTERCMS_API_URL: fake.apiUrl,
      BUTTERCMS_API_TOKEN: '',
    });
    expect(checked).toMatch(/0 errors/);
    expect(checked).not.toMatch(/unreachable|watching ButterCMS|webhook/);
  }, 300_000);
});
