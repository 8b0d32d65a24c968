/**
 * The playground built against the fake server: every page's content and media are in the
 * output, and the bundle is split so that a page loads only the entities it reads. Prints the
 * bundle measurements.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from './playground.ts';
import { type FakeButter, listFiles, startFakeButter, tmpDir } from './utils.ts';

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

describe('playground build', () => {
  it('splits the content per entity and ships the media', async () => {
    const work = await tmpDir('playground-build');
    const outDir = await buildPlayground(fake, work);
    const files = await listFiles(outDir);
    expect(files).toContain('index.html');

    const media = (await listFiles(join(work, '.buttercms/media'))).filter(
      (f) => f !== 'media-manifest.json',
    );
    expect(media.length).toBeGreaterThan(0);
    for (const f of media) expect(files).toContain(`buttercms/${f}`);

    const scripts = files.filter((f) => f.endsWith('.js'));
    const text = new Map<string, string>();
    for (const f of scripts) text.set(f, await readFile(join(outDir, f), 'utf8'));
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    const entry = scripts.find((f) => html.includes(f))!;
    expect(entry).toBeDefined();

    const holders = (needle: string) => scripts.filter((f) => text.get(f)!.includes(needle));
    // The entry holds no content at all.
    for (const needle of [
      'Welcome to your ButterCMS Proof of Concept',
      'Example Post',
      'Can I Add Custom Fields',
    ]) {
      expect(text.get(entry)).not.toContain(needle);
    }
    // The landing page's entity is one chunk that holds nothing else. (probes.json, which the
    // reader loads to learn how the API embeds references, also holds a copy of it.)
    const landing = holders('Welcome to your ButterCMS Proof of Concept').filter(
      (f) => !f.startsWith('assets/probes-'),
    );
    expect(landing).toHaveLength(1);
    expect(text.get(landing[0]!)).not.toContain('Can I Add Custom Fields');
    expect(text.get(landing[0]!)).not.toContain('Acme Co provides supplies');

    // Measurements, from Vite's manifest: which chunks are entities, folders, code.
    const manifest = JSON.parse(
      await readFile(join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Record<string, { file: string }>;
    const sizes = (files: string[]) => {
      let raw = 0;
      let gzip = 0;
      for (const f of files) {
        raw += Buffer.byteLength(text.get(f)!);
        gzip += gzipSync(text.get(f)!).length;
      }
      return { files: files.length, raw, gzip };
    };
    const chunksOf = (marker: string) =>
      Object.entries(manifest)
        .filter(([key]) => key.includes(marker))
        .map(([, v]) => v.file);
    const entities = chunksOf('virtual:buttercms/entity/');
    const folders = chunksOf('virtual:buttercms/folder/');
    const code = scripts.filter((f) => !entities.includes(f) && !folders.includes(f));
    const report = {
      entry: sizes([entry]),
      landingEntity: sizes(landing),
      entities: sizes(entities),
      folders: sizes(folders),
      code: sizes(code),
      totalJs: sizes(scripts),
    };
    console.log(`[playground bundle] ${JSON.stringify(report)}`);
    expect(entities.length).toBeGreaterThan(20);
    expect(report.entry.raw).toBeLessThan(report.totalJs.raw / 2);
  });
});
