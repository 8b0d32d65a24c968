/**
 * `npm run demo`: one command from a fresh checkout to a snapshot with media and types, synced
 * from the bundled fake, with the places to look printed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/core/snapshot/index.ts';
import { tempDir } from '../sync/helpers.ts';

const DEMO = resolve(import.meta.dirname, '../../fixtures/demo.ts');

let tmp: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('butter-demo-');
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('npm run demo', () => {
  it('syncs the fake with media and types, says where to look, and stops the fake', async () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith('BUTTERCMS_')) env[k] = v;
    }
    const { stdout } = await promisify(execFile)(process.execPath, [DEMO, 'site'], {
      cwd: tmp.dir,
      env: { ...env, CI: '1' },
    });
    const out = join(tmp.dir, 'site/.buttercms');
    expect(stdout).toMatch(
      /^synced 8 pages .* · 18 media \(18 new, 0 cached, [\d.]+ kB\) · 2 locales/m,
    );
    expect(stdout).toContain('Where to look:\n  site/.buttercms/ ');
    expect(stdout).toContain('  site/.buttercms/media/  18 media files, downloaded from the fake');
    expect(stdout).toContain(
      '  site/buttercms.d.ts     the TypeScript types inferred from the content',
    );
    expect(stdout).toMatch(
      /page\.list\('landing-page', \{ locale: 'en' \}\) → "[^"]+", media at \/buttercms\/[0-9a-f]{32}\.\w+/,
    );
    expect((await readManifest(out))?.locales).toEqual(['en', 'fr']);
    expect((await readdir(join(out, 'media'))).filter((f) => !f.endsWith('.json'))).toHaveLength(
      18,
    );
    expect(existsSync(join(tmp.dir, 'site/buttercms.d.ts'))).toBe(true);
  });
});
