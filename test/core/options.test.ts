import { describe, expect, it } from 'vitest';
import {
  DEFAULT_API_URL,
  requireToken,
  resolveOptions,
  resolveSnapshotOptions,
} from '../../src/core/options.ts';
import { fieldOf, tokenEnv } from '../option-errors.ts';

const env = tokenEnv;

describe('resolveOptions', () => {
  it('fills defaults and takes the token and API URL from the environment', () => {
    const resolved = resolveOptions({ root: '/project' }, env);
    expect(resolved).toMatchObject({
      token: 'env-token-1234',
      apiUrl: DEFAULT_API_URL,
      out: '/project/.buttercms',
      levels: 2,
      locales: [],
      preview: false,
      pageSize: 100,
      mediaDir: '/project/.buttercms/media',
      mediaBase: '/buttercms/',
      types: '/project/buttercms.d.ts',
    });
    expect(
      resolveOptions({ root: '/p' }, { ...env, BUTTERCMS_API_URL: 'http://x/v2/' }).apiUrl,
    ).toBe('http://x/v2');
  });

  it('keeps preview snapshots apart from published ones by default', () => {
    expect(resolveOptions({ root: '/p', preview: true }, env).out).toBe('/p/.buttercms-preview');
    expect(resolveOptions({ root: '/p', preview: true, out: 'snap' }, env).out).toBe('/p/snap');
  });

  it('prefers explicit options over the environment and never mutates the input', () => {
    const input = Object.freeze({ token: 'explicit-token', locales: ['en', 'fr', 'en'] });
    const resolved = resolveOptions(input, env);
    expect(resolved.token).toBe('explicit-token');
    expect(resolved.locales).toEqual(['en', 'fr']);
    expect(input.locales).toEqual(['en', 'fr', 'en']);
  });

  it.each([
    [{ levels: 0 }, 'levels'],
    [{ levels: 6 }, 'levels'],
    [{ levels: 2.5 }, 'levels'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ pageSize: -1 }, 'pageSize'],
    [{ locales: 'en' }, 'locales'],
    [{ pageTypes: ['../x'] }, 'pageTypes'],
    [{ collections: ['a/b'] }, 'collections'],
    [{ apiUrl: 'not a url' }, 'apiUrl'],
    [{ apiUrl: 'ftp://example.com/v2' }, 'apiUrl'],
    [{ apiUrl: 'https://api.buttercms.com/v2?auth_token=secret' }, 'apiUrl'],
    [{ preview: 'yes' }, 'preview'],
    [{ closedEnums: 1 }, 'closedEnums'],
    [{ types: '' }, 'types'],
    [{ mediaHosts: 'cdn.buttercms.com' }, 'mediaHosts'],
    [{ levle: 2 }, 'levle'],
    [{ maxResponseBytes: 1000 }, 'maxResponseBytes'],
    [{ maxResponseBytes: '2TB' }, 'maxResponseBytes'],
    [{ maxResponseBytes: 'lots' }, 'maxResponseBytes'],
  ])('rejects %j naming the field', (options, field) => {
    expect(fieldOf(() => resolveOptions(options as never, env))).toBe(field);
  });

  it('reads the response byte cap as bytes or a size with a unit', () => {
    expect(resolveOptions({}, env).maxResponseBytes).toBe(64 * 1024 * 1024);
    expect(resolveOptions({ maxResponseBytes: '20MB' }, env).maxResponseBytes).toBe(20_000_000);
    expect(resolveOptions({ maxResponseBytes: '2 MiB' }, env).maxResponseBytes).toBe(2 ** 21);
    expect(resolveOptions({ maxResponseBytes: 5_000_000 }, env).maxResponseBytes).toBe(5_000_000);
  });

  it('never echoes a password or a token from a bad apiUrl, and refuses a query it would not send', () => {
    for (const apiUrl of [
      'http://user:hunter2@[not-a-host/v2',
      'ftp://user:hunter2@example.com/v2',
      'https://user:hunter2@api.buttercms.com/v2',
      'https://api.buttercms.com/v2?token=s3cr3t-t0ken',
      'https://api.buttercms.com/v2#auth_token=s3cr3t-t0ken',
      'not a url?token=s3cr3t-t0ken',
    ]) {
      const message = (() => {
        try {
          resolveOptions({ apiUrl }, env);
          return 'accepted';
        } catch (error) {
          return String(error);
        }
      })();
      expect(message, apiUrl).toMatch(/Invalid option `apiUrl`/);
      expect(message).not.toMatch(/hunter2|s3cr3t/);
    }
  });

  it('suggests the nearest option for an unknown key', () => {
    expect(() => resolveOptions({ levle: 2 } as never, env)).toThrowError(
      /^\[buttercms\] unknown option `levle`; did you mean `levels`\?$/,
    );
    expect(() => resolveOptions({ anything: 1 } as never, env)).toThrowError(
      /^\[buttercms\] unknown option `anything`$/,
    );
  });

  it('explains where to get a token when there is none', () => {
    expect(() => resolveOptions({}, {})).toThrowError(/BUTTERCMS_API_TOKEN/);
    expect(fieldOf(() => resolveOptions({}, {}))).toBe('token');
  });

  it('resolves everything but the token without one; only a sync requires it', () => {
    const resolved = resolveSnapshotOptions({ root: '/p', preview: true, token: '  ' }, {});
    expect(resolved).toMatchObject({
      token: undefined,
      out: '/p/.buttercms-preview',
      mediaDir: '/p/.buttercms-preview/media',
      types: '/p/buttercms.d.ts',
    });
    expect(fieldOf(() => requireToken(resolved))).toBe('token');
    expect(requireToken({ ...resolved, token: 'a-token' }).token).toBe('a-token');
    // Other bad fields are reported with or without a token.
    expect(fieldOf(() => resolveSnapshotOptions({ levels: 9 as never }, {}))).toBe('levels');
  });
});
