import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { runTypesCommand } from '../../src/core/cli/types-command.ts';
import { readManifest, readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
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

describe('media and types stages inside sync()', () => {
  it('downloads media, writes types and the lock, and a second sync changes nothing', async () => {
    const root = join(tmp.dir, 'project');
    const options = {
      token: fake.token,
      apiUrl: fake.apiUrl,
      root,
      locales: ['en', 'fr'],
      pageTypes: pageTypesOf(fake.account),
      collections: collectionsOf(fake.account),
      mediaHosts: [new URL(fake.url).host],
      types: 'src/buttercms.d.ts',
    };
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
      {
        root,
        types: 'src/buttercms.d.ts',
        apiUrl: 'http://127.0.0.1:9/v2',
        mediaHosts: [new URL(fake.url).host],
      },
      {},
    );
    expect(report.changed).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(apiLog(fake)).toHaveLength(0);
  });

  it('butter-sync types without a snapshot says to sync first', async () => {
    await expect(
      runTypesCommand({ root: join(tmp.dir, 'empty'), types: 'x.d.ts' }, {}),
    ).rejects.toThrow(/Run `butter-sync` first/);
    await expect(access(join(tmp.dir, 'empty', 'x.d.ts'))).rejects.toThrow();
  });
});
