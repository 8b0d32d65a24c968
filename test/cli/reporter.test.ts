import { describe, expect, it } from 'vitest';
import { createReporter, progressLine } from '../../src/core/cli/reporter.ts';
import { formatSummary } from '../../src/core/sync/result.ts';
import type { SyncResult } from '../../src/core/sync/types.ts';

const result: SyncResult = {
  requests: 31,
  retries: 0,
  // 2.2 million bytes: 2.2 MB (the summary counts in SI units, like the media fragment beside it).
  bytes: 2_200_000,
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
  // What the reporter prints never comes from the manifest.
  manifest: {} as SyncResult['manifest'],
};

function capture(tty: boolean, flags: { json?: boolean; quiet?: boolean; columns?: number } = {}) {
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
    columns: () => flags.columns,
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

  it('keeps the live line narrower than an 80-column terminal: redrawn, it leaves no trail', () => {
    const { reporter, err } = capture(true, { columns: 80 });
    const kinds = ['singlePages', 'pages', 'items', 'posts', 'authors', 'categories', 'tags'];
    for (let done = 0; done < 12_000; done += 1000) {
      for (const kind of kinds) {
        reporter.event({ type: 'progress', kind: kind as 'pages', done, total: 12_000 });
      }
      reporter.event({ type: 'media', done, total: 12_000 });
    }
    const drawn = err().split('\r\x1b[2K').filter(Boolean);
    expect(drawn.length).toBeGreaterThan(10);
    for (const line of drawn) {
      expect(line.length).toBeLessThan(80);
      expect(line).not.toContain('\n');
    }
    expect(drawn.at(-1)).toBe(
      'syncing single pages 11000/12000 · pages 11000/12000 · items 11000/12000 · pos…',
    );
  });
});

describe('progressLine', () => {
  const p = (label: string, done: number, total: number) => ({ label, done, total });
  it('fits in the width: finished kinds make room first, then the line is cut', () => {
    const progress = [p('pages', 120, 120), p('items', 3, 40), p('posts', 57, 57), p('tags', 1, 9)];
    expect(progressLine('syncing', progress, 80)).toBe(
      'syncing pages 120/120 · items 3/40 · posts 57/57 · tags 1/9',
    );
    expect(progressLine('syncing', progress, 40)).toBe('syncing items 3/40 · tags 1/9 · 2 done');
    expect(progressLine('syncing', progress, 30)).toBe('syncing items 3/40 · tags 1/…');
    expect(progressLine('write', [p('pages', 1, 1), p('posts', 2, 2)], 16)).toBe('write 2 done');
    expect(progressLine('media', [], 80)).toBe('media');
  });
});
