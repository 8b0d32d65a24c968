import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/core/cli/reporter.ts';
import { formatSummary } from '../../src/core/sync/result.ts';
import type { SyncResult } from '../../src/core/sync/types.ts';

const result: SyncResult = {
  requests: 31,
  retries: 0,
  bytes: 2_300_000,
  entities: {
    singlePages: 4,
    pages: 120,
    items: 40,
    posts: 57,
    authors: 2,
    categories: 3,
    tags: 1,
  },
  pageTypes: ['landing', 'guide'],
  collections: ['faq', 'menu', 'team'],
  locales: [null],
  discovered: { pageTypes: ['guide'], collections: [] },
  preview: false,
  levels: 2,
  out: '/p/.buttercms',
  changed: true,
  durationMs: 2100,
  timings: { crawlMs: 1500, mediaMs: 0, writeMs: 600, typesMs: 0 },
  warnings: [],
};

function capture(tty: boolean, flags: { json?: boolean; quiet?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  let now = 0;
  const reporter = createReporter({
    stdout: {
      write: (t) => {
        stdout += t;
      },
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
    },
    tty,
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    redact: (t) => t.replaceAll('SECRET', '***'),
    now: () => (now += 1000),
  });
  return { reporter, out: () => stdout, err: () => stderr };
}

describe('summary and reporter', () => {
  it('formats the one-line summary', () => {
    expect(formatSummary(result)).toBe(
      'synced 124 pages · 2 page types · 40 items in 3 collections · 57 posts · 2 authors · 3 categories · 1 tag in 2.1s · 31 requests · 2.2 MB',
    );
    expect(formatSummary({ ...result, changed: false, locales: ['en', 'fr'] })).toMatch(
      /2 locales .* unchanged, nothing written$/,
    );
  });

  it('draws live progress per kind on a TTY and clears it before the summary', () => {
    const { reporter, out, err } = capture(true);
    reporter.event({ type: 'progress', kind: 'pages', done: 100, total: 120 });
    reporter.event({ type: 'progress', kind: 'posts', done: 20, total: 57 });
    expect(err()).toContain('pages 100/120 · posts 20/57');
    expect(err()).toContain('\r\x1b[2K');
    reporter.summary(result);
    expect(err().endsWith('\r\x1b[2K')).toBe(true);
    expect(out()).toMatch(/^synced 124 pages/);
    expect(out()).toContain(
      'discovered through references (add them to your config): pageTypes: ["guide"]',
    );
  });

  it('prints plain lines without escape codes elsewhere', () => {
    const { reporter, out, err } = capture(false);
    reporter.event({ type: 'progress', kind: 'items', done: 1, total: 40 });
    reporter.event({ type: 'discovered', what: 'collection', name: 'menu' });
    reporter.warn('something SECRET happened');
    reporter.summary(result);
    expect(err()).not.toContain('\x1b[');
    expect(err()).toContain('discovered collection `menu`');
    expect(err()).toContain('warning: something *** happened');
    expect(out().split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('prints only the JSON object with --json, nothing with --quiet', () => {
    const json = capture(true, { json: true });
    json.reporter.event({ type: 'progress', kind: 'pages', done: 1, total: 2 });
    json.reporter.summary(result);
    expect(json.err()).toBe('');
    const parsed = JSON.parse(json.out().trim().split('\n').at(-1)!);
    expect(parsed).toMatchObject({ ok: true, requests: 31, discovered: result.discovered });

    const quiet = capture(true, { quiet: true });
    quiet.reporter.event({ type: 'progress', kind: 'pages', done: 1, total: 2 });
    quiet.reporter.summary(result);
    expect(quiet.out() + quiet.err()).toBe('');
  });
});
