/**
 * Bundler watch mode (rollup -w): the plugin watches the snapshot's manifest, so a sync by
 * another process rebuilds the bundle with the new content, without a second sync by the
 * plugin.
 */
import { join } from 'node:path';
import { watch } from 'rollup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sync } from '../../src/core/sync/index.ts';
import buttercms from '../../src/rollup.ts';
import { type FakeButter, optionsFor, renderOutput, startFakeButter, tmpDir } from './utils.ts';

let fake: FakeButter;
beforeAll(async () => {
  fake = await startFakeButter();
});
afterAll(async () => {
  await fake?.close();
});

describe('rollup watch mode', () => {
  it('rebuilds with the new content when the snapshot changes on disk', async () => {
    const root = await tmpDir('rollup-watch');
    const options = optionsFor(fake, root);
    const outDir = join(root, 'dist');
    const watcher = watch({
      input: new URL('./fixtures/rollup/main.js', import.meta.url).pathname,
      plugins: [buttercms(options)],
      output: { dir: outDir, format: 'es', entryFileNames: 'main.js' },
      onwarn: () => {},
      watch: { buildDelay: 50 },
    });
    let builds = 0;
    const errors: unknown[] = [];
    watcher.on('event', (event) => {
      if (event.code === 'BUNDLE_END') {
        builds++;
        void event.result.close();
      }
      if (event.code === 'ERROR') errors.push(event.error);
    });
    const until = async (condition: () => boolean) => {
      const end = Date.now() + 15_000;
      while (!condition()) {
        if (Date.now() > end) throw new Error(`timed out (${errors.map(String).join(', ')})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => builds === 1);
      type Out = { single: { name: string } };
      const first = await renderOutput<Out>(join(outDir, 'main.js'));
      expect(first.single.name).toBe('Simple Page');

      fake.updateAccount((a) => {
        const page = a.pages.find((p) => p.slug === 'simple-page')!;
        page.name = 'Simple Page, rebuilt';
        page.updated = new Date().toISOString();
      });
      fake.resetLog();
      await sync(options);
      const requests = fake.log.length;
      // A rebuild may also follow the first build's own snapshot write: wait for the content.
      let name = '';
      const end = Date.now() + 15_000;
      while (name !== 'Simple Page, rebuilt' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        const built = builds;
        if (built < 2) continue;
        name = (await renderOutput<Out>(join(outDir, 'main.js'))).single.name;
      }
      expect(name).toBe('Simple Page, rebuilt');
      expect(fake.log.length).toBe(requests);
    } finally {
      await watcher.close();
      fake.updateAccount((a) => {
        a.pages.find((p) => p.slug === 'simple-page')!.name = 'Simple Page';
      });
    }
  });
});
