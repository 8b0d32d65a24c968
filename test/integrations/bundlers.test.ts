/**
 * The plugin in the real bundlers: one fixture project per bundler (fixtures/<bundler>), built
 * in-process against the fake ButterCMS server; the output is run and must render the content,
 * carry the media under mediaBase and keep each entity in its own chunk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeButter,
  listFiles,
  mediaPathsIn,
  optionsFor,
  renderOutput,
  startFakeButter,
  tmpDir,
} from './utils.ts';

type Build = (
  options: import('../../src/core/options.ts').Options,
  outDir: string,
) => Promise<string>;

const BUNDLERS: Record<string, () => Promise<{ default: Build }>> = {
  esbuild: () => import('./fixtures/esbuild/build.ts'),
  rollup: () => import('./fixtures/rollup/build.ts'),
  vite: () => import('./fixtures/vite/build.ts'),
  webpack: () => import('./fixtures/webpack/build.ts'),
  rspack: () => import('./fixtures/rspack/build.ts'),
};

interface Rendered {
  landing: { name: string; fields: { body: { type: string; fields: Record<string, unknown> }[] } };
  single: { name: string; slug: string };
  posts: string[];
  syncedAt: string;
}

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

describe.each(Object.keys(BUNDLERS))('%s', (name) => {
  it('syncs at build start and bundles the content, the media and one chunk per entity', async () => {
    const root = await tmpDir(`bundler-${name}`);
    const outDir = join(root, 'dist');
    const { default: build } = await BUNDLERS[name]!();
    const entry = await build(optionsFor(fake, root), outDir);

    const rendered = await renderOutput<Rendered>(join(outDir, entry));
    expect(rendered.landing.name).toBe('Landing Page with Components');
    expect(rendered.landing.fields.body[0]).toMatchObject({
      type: 'hero',
      fields: { headline: 'Welcome to your ButterCMS Proof of Concept' },
    });
    expect(rendered.single).toMatchObject({ slug: 'simple-page', name: 'Simple Page' });
    expect(rendered.posts).toContain('example-post');

    // Media: rewritten to local paths, and every one of them is in the output.
    const files = await listFiles(outDir);
    const media = mediaPathsIn(rendered);
    expect(media.length).toBeGreaterThan(0);
    for (const path of media) expect(files).toContain(path.slice(1));
    const snapshotMedia = (await listFiles(join(root, '.buttercms/media'))).filter(
      (f) => f !== 'media-manifest.json',
    );
    expect(files.filter((f) => f.startsWith('buttercms/')).sort()).toEqual(
      snapshotMedia.map((f) => `buttercms/${f}`),
    );

    // Splitting: the entry does not carry content; the landing page lives in its own chunk.
    const entryText = await readFile(join(outDir, entry), 'utf8');
    expect(entryText).not.toContain('Welcome to your ButterCMS Proof of Concept');
    expect(entryText).not.toContain('Simple Page');
    const scripts = files.filter((f) => /\.[cm]?js$/.test(f));
    const holders: string[] = [];
    for (const f of scripts) {
      if (
        (await readFile(join(outDir, f), 'utf8')).includes(
          'Welcome to your ButterCMS Proof of Concept',
        )
      ) {
        holders.push(f);
      }
    }
    expect(holders.length).toBeGreaterThan(0);
    for (const f of holders) {
      const text = await readFile(join(outDir, f), 'utf8');
      expect(text).not.toContain('Simple Page');
    }
  });
});
