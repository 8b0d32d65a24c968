import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/core/cli/args.ts';
import { FLAG_NAMES } from '../../src/core/cli/flags.ts';
import { OptionsError } from '../../src/core/errors.ts';
import { resolveOptions } from '../../src/core/options.ts';

const cwd = '/project';

describe('parseCliArgs', () => {
  it('maps every flag onto Options', () => {
    const args = parseCliArgs(
      [
        'sync',
        '--token=t0ken',
        '--api-url',
        'http://127.0.0.1:1/v2',
        '-o',
        'snap',
        '--levels',
        '3',
        '--locales',
        'en, fr',
        '--page-types',
        'a,b',
        '--collections',
        'faq',
        '--preview',
        '--concurrency',
        '4',
        '--page-size',
        '50',
        '--timeout',
        '1000',
        '--retries',
        '2',
        '--media-dir',
        'public/media',
        '--media-base',
        '/m/',
        '--media-hosts',
        'cdn.example.com',
        '--types',
        'src/butter.d.ts',
        '--strict',
        '--closed-enums',
        '--json',
        '--quiet',
      ],
      cwd,
    );
    expect(args).toEqual({
      command: 'sync',
      config: undefined,
      json: true,
      quiet: true,
      watch: false,
      webhookPort: undefined,
      options: {
        token: 't0ken',
        apiUrl: 'http://127.0.0.1:1/v2',
        out: join(cwd, 'snap'),
        levels: 3,
        locales: ['en', 'fr'],
        pageTypes: ['a', 'b'],
        collections: ['faq'],
        preview: true,
        concurrency: 4,
        pageSize: 50,
        timeout: 1000,
        retries: 2,
        mediaDir: join(cwd, 'public/media'),
        mediaBase: '/m/',
        mediaHosts: ['cdn.example.com'],
        types: join(cwd, 'src/butter.d.ts'),
        strict: true,
        closedEnums: true,
      },
    });
  });

  it('leaves unset flags out, so the config file and defaults apply', () => {
    expect(parseCliArgs([], cwd)).toEqual({
      command: 'sync',
      options: {},
      config: undefined,
      json: false,
      quiet: false,
      watch: false,
      webhookPort: undefined,
    });
    expect(parseCliArgs(['--no-media', '--no-types'], cwd).options).toEqual({
      media: false,
      types: false,
    });
  });

  it('parses --watch with --poll-interval and --webhook-port', () => {
    const args = parseCliArgs(['-w', '--poll-interval', '30s', '--webhook-port', '4321'], cwd);
    expect(args).toMatchObject({ command: 'sync', watch: true, webhookPort: 4321 });
    expect(args.options.pollInterval).toBe('30s');
    expect(parseCliArgs(['--watch', '--poll-interval', '5000'], cwd).options.pollInterval).toBe(
      5000,
    );
    // `off` is read by resolveOptions, the one validation every host shares.
    const off = parseCliArgs(['--watch', '--poll-interval', 'off'], cwd).options;
    expect(resolveOptions(off, { BUTTERCMS_API_TOKEN: 'x'.repeat(8) }).pollInterval).toBe(false);
  });

  it('passes --max-response-bytes on as a size', () => {
    const { options } = parseCliArgs(['--max-response-bytes', '100MB'], cwd);
    expect(resolveOptions(options, { BUTTERCMS_API_TOKEN: 'x'.repeat(8) }).maxResponseBytes).toBe(
      100_000_000,
    );
  });

  it('knows the types command, --help and --version', () => {
    expect(parseCliArgs(['types'], cwd).command).toBe('types');
    expect(parseCliArgs(['--help'], cwd).command).toBe('help');
    expect(parseCliArgs(['sync', '-h'], cwd).command).toBe('help');
    expect(parseCliArgs(['-v'], cwd).command).toBe('version');
  });

  it.each([
    [['--levels', 'two'], '--levels'],
    [['--page-size', '-1'], '--page-size'],
    [['--nope'], '--nope'],
    [['--levels'], '--levels'],
    [['deploy'], 'command'],
    [['sync', 'extra'], 'arguments'],
    [['--types', 'x.d.ts', '--no-types'], '--types'],
    [['--poll-interval', '30s'], '--poll-interval'],
    [['--webhook-port', '80'], '--webhook-port'],
    [['--watch', '--webhook-port', '70000'], '--webhook-port'],
    [['types', '--watch'], '--watch'],
  ])('rejects %j naming %s', (argv, field) => {
    try {
      parseCliArgs(argv, cwd);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).field).toBe(field);
    }
  });
});

describe('usage messages', () => {
  const HINT = '\n  → Run `butter-sync --help` for every option.';
  it.each([
    [['--page-type', 'x'], 'unknown option `--page-type`; did you mean `--page-types`?'],
    [['--pageTypes', 'x'], 'unknown option `--pageTypes`; did you mean `--page-types`?'],
    [['--colections', 'faq'], 'unknown option `--colections`; did you mean `--collections`?'],
    [['--bogus'], 'unknown option `--bogus`'],
    [['-x'], 'unknown option `-x`'],
    [['--out'], 'Invalid option `--out`: expects a value'],
    [['--preview=yes'], 'Invalid option `--preview`: is a switch and takes no value (got "yes")'],
    [
      ['--page-size', '-1'],
      'Invalid option `--page-size`: expects a value, got the option-like "-1" (write --page-size=-1 if you mean it)',
    ],
    [
      ['synk'],
      'Invalid option `command`: unknown command "synk" (commands: sync, types); did you mean `sync`?',
    ],
  ])('%j: says what is wrong and what was meant', (argv, message) => {
    let error: unknown;
    try {
      parseCliArgs(argv, cwd);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as Error).message).toBe(`[buttercms] ${message}${HINT}`);
  });
});

describe('documentation of the flags', () => {
  const flagsIn = (text: string) => new Set(text.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? []);
  it('--help lists every flag, and the README options table lists every flag --help lists', async () => {
    const { HELP } = await import('../../src/core/cli/help.ts');
    const options = HELP.slice(HELP.indexOf('\nOptions'), HELP.indexOf('\nExit codes'));
    const helped = new Set(
      options
        .split('\n')
        .filter((line) => /^ {2}-/.test(line))
        .flatMap((line) => [...flagsIn(line.trim().split(/\s{2,}/)[0]!)]),
    );
    expect([...helped].sort()).toEqual(
      [...FLAG_NAMES.map((name) => `--${name}`), '-c', '-h', '-o', '-q', '-v', '-w'].sort(),
    );
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) => line.split('|')[2] ?? '');
    const documented = new Set(table.flatMap((cell) => [...flagsIn(cell)]));
    expect([...helped].filter((flag) => !documented.has(flag))).toEqual([]);
  });
});
