/**
 * What `butter-sync` prints while a sync runs. On a TTY: one live line of progress (done/total
 * per content kind) on stderr, always narrower than the terminal — a line that wraps cannot be
 * cleared, and leaves a trail of stale lines — then the one-line summary. Elsewhere (CI,
 * pipes): plain lines, progress at most every few seconds. `--json` and `--quiet` print no
 * progress.
 */
import type { PreparedSnapshot } from '../build-start.ts';
import { DEFAULT_MEDIA_HOSTS } from '../options.ts';
import { formatSummary, remoteMediaHosts } from '../sync/result.ts';
import type { ContentKind, SyncEvent, SyncResult } from '../sync/types.ts';
import { plural } from '../toolkit/format.ts';

export interface Output {
  write(text: string): void;
}

export interface ReporterOptions {
  stdout: Output;
  stderr: Output;
  /** Whether stderr is a terminal (live progress line). */
  tty: boolean;
  /** The terminal's width now (it may be resized while the sync runs). @default 80 */
  columns?: () => number | undefined;
  json: boolean;
  quiet: boolean;
  /** Makes every printed text safe (token removed). */
  redact(text: string): string;
  now?: () => number;
}

const LABELS: Record<ContentKind | 'media', string> = {
  media: 'media',
  singlePages: 'single pages',
  pages: 'pages',
  items: 'items',
  posts: 'posts',
  authors: 'authors',
  categories: 'categories',
  tags: 'tags',
};

const PLAIN_EVERY_MS = 5000;
const TTY_EVERY_MS = 80;

export interface Reporter {
  event(event: SyncEvent): void;
  info(message: string): void;
  warn(message: string): void;
  /** A debug line (`--verbose`), above the live line. */
  debug(message: string): void;
  /** Clears the live line. */
  finish(): void;
  summary(result: SyncResult): void;
  /** No sync ran: the snapshot was kept (`maxAge`, or the API unreachable). */
  kept(prepared: PreparedSnapshot): void;
}

/**
 * The live progress line, at most `columns - 1` characters (the last column makes some
 * terminals wrap): `syncing pages 100/120 · posts 20/57`. When it does not fit, the kinds already
 * done make room first, then the line is cut with `…`. Every character is one column wide.
 */
export function progressLine(
  phase: string,
  progress: readonly { label: string; done: number; total: number }[],
  columns: number,
): string {
  const width = Math.max(10, columns - 1);
  const compose = (parts: readonly string[]) => [phase, parts.join(' · ')].join(' ').trimEnd();
  const part = (p: { label: string; done: number; total: number }) =>
    `${p.label} ${p.done}/${p.total}`;
  let line = compose(progress.map(part));
  if (line.length > width) {
    const open = progress.filter((p) => p.done < p.total);
    const finished = progress.length - open.length;
    line = compose([...open.map(part), ...(finished > 0 ? [`${finished} done`] : [])]);
  }
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const progress = new Map<ContentKind | 'media', { done: number; total: number }>();
  const live = options.tty && !options.json && !options.quiet;
  const plain = !options.tty && !options.json && !options.quiet;
  let phase = 'crawl';
  let lastRender = 0;
  let lineShown = false;

  const out = (text: string) => options.stdout.write(options.redact(text));
  const err = (text: string) => options.stderr.write(options.redact(text));
  const clearLine = () => {
    if (lineShown) err('\r\x1b[2K');
    lineShown = false;
  };
  const render = (force = false) => {
    const t = now();
    if (live) {
      if (!force && t - lastRender < TTY_EVERY_MS) return;
      lastRender = t;
      const parts = [...progress].map(([kind, p]) => ({ label: LABELS[kind], ...p }));
      const columns = options.columns?.() ?? 80;
      err(`\r\x1b[2K${progressLine(phase === 'crawl' ? 'syncing' : phase, parts, columns)}`);
      lineShown = true;
    } else if (plain) {
      if (!force && t - lastRender < PLAIN_EVERY_MS) return;
      lastRender = t;
      const parts = [...progress].map(([kind, p]) => `${LABELS[kind]} ${p.done}/${p.total}`);
      err(`${`${phase === 'crawl' ? 'syncing' : phase} ${parts.join(' · ')}`.trimEnd()}\n`);
    }
  };
  const above = (text: string) => {
    clearLine();
    err(text);
    if (live) render(true);
  };
  if (plain) lastRender = now();

  return {
    event(event) {
      switch (event.type) {
        case 'progress':
          progress.set(event.kind, { done: event.done, total: event.total });
          render();
          break;
        case 'phase':
          if (event.phase === 'done') return;
          phase = event.phase === 'probes' ? 'crawl' : event.phase;
          if (live) render(true);
          break;
        case 'discovered':
          if (options.quiet || options.json) return;
          above(
            `discovered ${event.what === 'pageType' ? 'page type' : 'collection'} \`${event.name}\` through a reference\n`,
          );
          break;
        case 'media':
          progress.set('media', { done: event.done, total: event.total });
          render();
          break;
        case 'retry':
          break;
      }
    },
    info(message) {
      if (options.quiet || options.json) return;
      above(`${message}\n`);
    },
    warn(message) {
      above(`warning: ${message}\n`);
    },
    debug(message) {
      above(`debug: ${message}\n`);
    },
    finish() {
      clearLine();
    },
    summary(result) {
      clearLine();
      if (options.json) {
        out(`${JSON.stringify(jsonResult(result))}\n`);
        return;
      }
      if (options.quiet) return;
      out(`${formatSummary(result)}\n`);
      const { pageTypes, collections } = result.discovered;
      if (pageTypes.length > 0 || collections.length > 0) {
        const found = [
          ...(pageTypes.length > 0 ? [`pageTypes: ${JSON.stringify(pageTypes)}`] : []),
          ...(collections.length > 0 ? [`collections: ${JSON.stringify(collections)}`] : []),
        ];
        out(`discovered through references (add them to your config): ${found.join(', ')}\n`);
      }
      const remote = remoteMediaHosts(result);
      if (remote.length > 0) out(`note: ${remoteMediaNote(remote)}\n`);
    },
    kept(prepared) {
      clearLine();
      if (options.json) {
        const { source, out: dir, ageMs, manifest } = prepared;
        out(
          `${JSON.stringify({ ok: true, source, out: dir, syncedAt: manifest.syncedAt, ageMs })}\n`,
        );
      }
    },
  };
}

/** What the summary says about media left remote: how many, on which hosts, how to allow them. */
export function remoteMediaNote(remote: readonly [string, number][]): string {
  const total = remote.reduce((sum, [, n]) => sum + n, 0);
  const hosts = remote.map(([host, n]) => `${host} (${n})`).join(', ');
  return `${plural(total, 'media URL')} left remote, on hosts not in \`mediaHosts\`: ${hosts}. To download them, add the host${remote.length === 1 ? '' : 's'} to \`mediaHosts\` (--media-hosts), which replaces the default list, ButterCMS's own CDN hosts: list those too (${DEFAULT_MEDIA_HOSTS.join(',')}).`;
}

/** The `--json` object: everything a script needs, never the token. */
export function jsonResult(result: SyncResult) {
  return {
    ok: true,
    source: 'synced',
    out: result.out,
    changed: result.changed,
    requests: result.requests,
    retries: result.retries,
    bytes: result.bytes,
    entities: result.entities,
    pageTypes: result.pageTypes,
    collections: result.collections,
    discovered: result.discovered,
    locales: result.locales,
    preview: result.preview,
    levels: result.levels,
    durationMs: result.durationMs,
    timings: result.timings,
    warnings: result.warnings,
    ...(result.media ? { media: result.media } : {}),
    ...(result.types ? { types: result.types } : {}),
    ...(result.warm ? { warm: result.warm } : {}),
  };
}
