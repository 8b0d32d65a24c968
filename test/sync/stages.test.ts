import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { runTypesCommand } from '../../src/core/cli/types-command.ts';
import {
  isMediaFileName,
  mentionedMediaFiles,
  readManifest as readMediaManifest,
} from '../../src/core/media/index.ts';
import { resolveSnapshotOptions } from '../../src/core/options.ts';
import { readManifest, readSnapshot } from '../../src/core/snapshot/index.ts';
import { formatSummary, sync } from '../../src/core/sync/index.ts';
import { apiLog, collectionsOf, pageTypesOf, tempDir } from './helpers.ts';

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir();
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

/** A sync of `server`'s whole account into `root`, its media downloaded from the fake. */
function optionsFor(server: FakeButter, root: string) {
  return {
    token: server.token,
    apiUrl: server.apiUrl,
    root,
    locales: ['en', 'fr'],
    pageTypes: pageTypesOf(server.account),
    collections: collectionsOf(server.account),
    mediaHosts: [new URL(server.url).host],
  };
}

describe('media and types stages inside sync()', () => {
  it('downloads media, writes types and the lock, and a second sync changes nothing', async () => {
    const root = join(tmp.dir, 'project');
    const options = { ...optionsFor(fake, root), types: 'src/buttercms.d.ts' };
    const first = await sync(options);
    expect(first.changed).toBe(true);
    expect(first.media).toMatchObject({ failed: 0 });
    expect(first.media?.files).toBeGreaterThan(0);
    expect(first.types).toMatchObject({ changed: true, file: join(root, 'src/buttercms.d.ts') });

    const declarations = await readFile(join(root, 'src/buttercms.d.ts'), 'utf8');
    expect(declarations.length).toBeGreaterThan(100);
    const manifest = await readManifest(first.out);
    expect(Object.keys(manifest!.hashes)).toContain('types.lock.json');
    // Media URLs in the snapshot now point at the local media folder.
    const { content } = await readSnapshot(first.out);
    expect(JSON.stringify(content.locales)).toContain('/buttercms/');

    const second = await sync(options);
    expect(second.changed).toBe(false);
    expect(second.types).toMatchObject({ changed: false, breaking: 0 });
    expect(second.media).toMatchObject({ downloaded: 0 });
  });

  it('butter-sync types regenerates the declarations from the snapshot without the network', async () => {
    const root = join(tmp.dir, 'project');
    const file = join(root, 'src/buttercms.d.ts');
    const before = await readFile(file, 'utf8');
    await rm(file);
    fake.resetLog();
    const report = await runTypesCommand(
      resolveSnapshotOptions(
        {
          root,
          types: 'src/buttercms.d.ts',
          apiUrl: 'http://127.0.0.1:9/v2',
          mediaHosts: [new URL(fake.url).host],
        },
        {},
      ),
    );
    expect(report.changed).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(apiLog(fake)).toHaveLength(0);
  });

  it('butter-sync types without a snapshot says to sync first', async () => {
    await expect(
      runTypesCommand(
        resolveSnapshotOptions({ root: join(tmp.dir, 'empty'), types: 'x.d.ts' }, {}),
      ),
    ).rejects.toThrow(/Run `butter-sync` first/);
    await expect(access(join(tmp.dir, 'empty', 'x.d.ts'))).rejects.toThrow();
  });
});

describe('unused media', () => {
  /** Media file names in `<out>/media`, and those the stored content mentions. */
  async function mediaState(out: string) {
    const onDisk = (await readdir(join(out, 'media'))).filter(isMediaFileName).sort();
    const { content } = await readSnapshot(out);
    const manifest = await readMediaManifest(join(out, 'media'));
    return {
      onDisk,
      mentioned: [...mentionedMediaFiles(content)].sort(),
      inManifest: [...new Set([...manifest.values()].map((entry) => entry.file))].sort(),
    };
  }

  it('removes the files no content uses any more, after the write; partial refreshes keep the rest', async () => {
    const fresh = await startFakeButter({ account: 'small' });
    const options = { ...optionsFor(fresh, join(tmp.dir, 'prune')), types: false as const };
    try {
      // A post gets an image of its own, which the first sync downloads.
      const image = 'https://cdn.buttercms.com/PruneTestHandle0001';
      const slug = fresh.account.posts.find((p) => p.status === 'published')!.slug;
      const body = (html: string) => (a: typeof fresh.account) => {
        a.posts.find((p) => p.slug === slug)!.body = html;
      };
      fresh.updateAccount((a) => {
        a.media[image] = { contentType: 'image/png' };
      });
      fresh.updateAccount(body(`<p>Only here: <img src="${image}" alt=""></p>`));
      const first = await sync(options);
      const before = await mediaState(first.out);
      expect(before.onDisk.length).toBeGreaterThan(1);
      expect(before.onDisk).toEqual(before.mentioned);
      expect(first.media).toMatchObject({ removed: 0 });
      const { content } = await readSnapshot(first.out);
      const post = content.blog.posts.find((p) => p.slug === slug)!;
      const gone = [...mentionedMediaFiles(post.body)];
      expect(gone).toHaveLength(1);
      expect(before.onDisk).toContain(gone[0]);

      // The image leaves the post.
      fresh.updateAccount(body('<p>No image now.</p>'));

      // A partial refresh of something else keeps every file the stored content still uses.
      const partial = await sync(options, { only: { singlePages: true } });
      expect(partial.partial).toBeDefined();
      expect((await mediaState(first.out)).onDisk).toEqual(before.onDisk);

      const second = await sync(options);
      expect(second.media).toMatchObject({ removed: gone.length });
      const after = await mediaState(second.out);
      expect(after.onDisk).toEqual(before.onDisk.filter((file) => !gone.includes(file)));
      expect(after.onDisk).toEqual(after.mentioned);
      expect(after.inManifest).toEqual(after.onDisk);
      expect(formatSummary(second)).toContain(`${gone.length} unused media file`);
    } finally {
      await fresh.close();
    }
  });

  it('leaves a media folder outside the snapshot folder as it is (another snapshot may use it)', async () => {
    const root = join(tmp.dir, 'shared');
    const mediaDir = join(root, 'public', 'media');
    await mkdir(mediaDir, { recursive: true });
    const stray = `${'a'.repeat(32)}.png`;
    await writeFile(join(mediaDir, stray), 'not used by this snapshot');
    const result = await sync({
      ...optionsFor(fake, root),
      mediaDir: 'public/media',
      types: false,
    });
    expect(result.media?.removed).toBeUndefined();
    await expect(access(join(mediaDir, stray))).resolves.toBeUndefined();
  });
});
