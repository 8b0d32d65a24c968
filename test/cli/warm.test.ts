/** `butter-sync` warm by default once a snapshot is there, cold with `--full`; both say so. */
import { describe, expect, it } from 'vitest';
import { fakeAndTempDir } from '../sync/helpers.ts';
import { runCli } from './helpers.ts';

const env = fakeAndTempDir('small', 'butter-cli-warm-');

describe('butter-sync, warm and --full', () => {
  const run = async (...flags: string[]) => {
    const result = await runCli(
      ['--api-url', env.fake.apiUrl, '--page-types', 'guide', '--no-media', ...flags],
      { cwd: env.dir, env: { BUTTERCMS_API_TOKEN: env.fake.token } },
    );
    expect(result.code, result.stderr).toBe(0);
    return result;
  };

  it('reports what the warm sync checked, skipped and saved; --full syncs cold', async () => {
    const cold = JSON.parse((await run('--json')).stdout.trim().split('\n').at(-1)!);
    expect(cold.warm).toBeUndefined();
    const warm = JSON.parse((await run('--json')).stdout.trim().split('\n').at(-1)!);
    expect(warm.warm).toMatchObject({ checked: 3, skipped: 2 });
    expect(warm.warm.callsSaved).toBe(cold.requests - warm.requests);
    const full = JSON.parse((await run('--json', '--full')).stdout.trim().split('\n').at(-1)!);
    expect(full.warm).toBeUndefined();
    expect(full.requests).toBe(cold.requests);
    const plain = await run();
    expect(plain.stderr + plain.stdout).toMatch(
      /warm: 3 listings checked, 2 unchanged, \d+ fetched again(, \d+ pages? of posts)? · \d+ requests saved/,
    );
  });
});
