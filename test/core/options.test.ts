import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, resolveOptions } from '../../src/core/options.ts';
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
  ])('rejects %j naming the field', (options, field) => {
    expect(fieldOf(() => resolveOptions(options as never, env))).toBe(field);
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
});
