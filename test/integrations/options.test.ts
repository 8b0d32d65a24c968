import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.ts';
import { fieldOf, tokenEnv } from '../option-errors.ts';

const env = tokenEnv;

describe('integration options', () => {
  it('has defaults for offline, maxAge, watch, pollInterval and webhookSecret', () => {
    const resolved = resolveOptions({ root: '/p' }, env);
    expect(resolved).toMatchObject({
      offline: 'fallback',
      maxAge: 0,
      watch: true,
      pollInterval: 60_000,
      webhookSecret: undefined,
    });
  });

  it('turns watch off by default on CI, unless asked for', () => {
    expect(resolveOptions({}, { ...env, CI: 'true' }).watch).toBe(false);
    expect(resolveOptions({}, { ...env, CI: 'false' }).watch).toBe(true);
    expect(resolveOptions({ watch: true }, { ...env, CI: '1' }).watch).toBe(true);
  });

  it('reads durations as milliseconds or with a unit', () => {
    expect(resolveOptions({ maxAge: '10m', pollInterval: '30s' }, env)).toMatchObject({
      maxAge: 600_000,
      pollInterval: 30_000,
    });
    expect(resolveOptions({ maxAge: 1500, pollInterval: false }, env)).toMatchObject({
      maxAge: 1500,
      pollInterval: false,
    });
    expect(resolveOptions({ maxAge: '2h' }, env).maxAge).toBe(7_200_000);
    // What the CLI offers (`--poll-interval off`) a plugin's options accept too.
    for (const off of ['off', 'false', '0', 0, false] as const) {
      expect(resolveOptions({ pollInterval: off }, env).pollInterval).toBe(false);
    }
    expect(resolveOptions({ maxAge: '1d' }, env).maxAge).toBe(86_400_000);
  });

  it('takes the webhook secret from the environment and never prints it', () => {
    expect(
      resolveOptions({}, { ...env, BUTTERCMS_WEBHOOK_SECRET: 'from-the-env' }).webhookSecret,
    ).toBe('from-the-env');
    expect(resolveOptions({ webhookSecret: 'explicit-secret' }, env).webhookSecret).toBe(
      'explicit-secret',
    );
    try {
      resolveOptions({ webhookSecret: 'short 1' }, env);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('short 1');
    }
  });

  it.each([
    [{ offline: 'maybe' }, 'offline'],
    [{ maxAge: -1 }, 'maxAge'],
    [{ maxAge: '10 minutes' }, 'maxAge'],
    [{ pollInterval: 10 }, 'pollInterval'],
    [{ pollInterval: true }, 'pollInterval'],
    [{ watch: 'yes' }, 'watch'],
    [{ webhookSecret: 'short' }, 'webhookSecret'],
  ])('rejects %j naming %s', (input, field) => {
    expect(fieldOf(() => resolveOptions(input as never, env))).toBe(field);
  });
});
