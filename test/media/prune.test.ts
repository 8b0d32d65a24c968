import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MANIFEST_FILE,
  mentionedMediaFiles,
  pruneMedia,
  readManifest,
  serializeManifest,
} from '../../src/core/media/index.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { Spool } from '../../src/core/snapshot/spool.ts';

const used = `${'1'.repeat(32)}.jpg`;
const unused = `${'2'.repeat(32)}.png`;
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('mentionedMediaFiles', () => {
  it('finds file names in whole values and inside HTML, at any depth, keys aside', () => {
    const content = {
      [`${'3'.repeat(32)}.gif`]: 'a key is not a use',
      fields: { hero: `/buttercms/${used}`, list: [{ body: `<img srcset="/m/${unused} 2x">` }] },
    };
    expect([...mentionedMediaFiles(content)].sort()).toEqual([used, unused]);
  });

  it('finds in a spooled listing, unparsed, every name its strings hold', async () => {
    dir = await mkdtemp(join(tmpdir(), 'butter-prune-'));
    const spool = await Spool.open(join(dir, '.buttercms'));
    try {
      const third = `${'4'.repeat(32)}.webp`;
      // Right after characters JSON escapes: a control character, a quote, a lone surrogate.
      const entities: JsonObject[] = [
        { hero: `/buttercms/${used}`, note: '"quoted"' },
        { body: `<p>\u0007${unused}</p> "${third}" \ud800${used}` },
      ];
      const list = spool.list(spool.put(entities));
      expect([...mentionedMediaFiles({ list })].sort()).toEqual(
        [...mentionedMediaFiles({ list: entities })].sort(),
      );
      expect([...mentionedMediaFiles({ list })].sort()).toEqual([used, unused, third].sort());
    } finally {
      spool.close();
    }
  });
});

describe('pruneMedia', () => {
  it('removes only unused media files and their manifest entries, nothing else', async () => {
    dir = await mkdtemp(join(tmpdir(), 'butter-prune-'));
    const manifest = new Map([
      ['https://cdn.buttercms.com/a', { file: used, type: 'image/jpeg', bytes: 1 }],
      ['https://cdn.buttercms.com/b', { file: unused, type: 'image/png', bytes: 1 }],
    ]);
    await writeFile(join(dir, MANIFEST_FILE), serializeManifest(manifest));
    for (const name of [used, unused, '.gitkeep', 'notes.txt', '.0123456789abcdef.part']) {
      await writeFile(join(dir, name), 'x');
    }
    expect(await pruneMedia(dir, () => new Set([used]))).toEqual([unused]);
    expect((await readdir(dir)).sort()).toEqual(
      ['.0123456789abcdef.part', '.gitkeep', MANIFEST_FILE, used, 'notes.txt'].sort(),
    );
    expect([...(await readManifest(dir)).keys()]).toEqual(['https://cdn.buttercms.com/a']);
    expect(await pruneMedia(dir, () => new Set([used]))).toEqual([]);
    expect(await pruneMedia(join(dir, 'missing'), () => new Set())).toEqual([]);
  });

  it('does not look for uses when the folder holds no media file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'butter-prune-'));
    await writeFile(join(dir, 'notes.txt'), 'x');
    const usedFiles = vi.fn(() => new Set<string>());
    expect(await pruneMedia(dir, usedFiles)).toEqual([]);
    expect(usedFiles).not.toHaveBeenCalled();
  });
});
