/**
 * `butter-sync --watch`: after the first sync, keep the snapshot fresh without a bundler —
 * the same watch loop as the dev servers (`startWatch`: change checks, partial refreshes,
 * webhooks) with a host that prints one line per refresh; a change to the config file restarts
 * the loop with the new options. With `--webhook-port` the webhook endpoint is served on
 * 127.0.0.1. Runs until `signal` aborts (SIGINT/SIGTERM), then closes everything; a failed
 * refresh is logged and watching goes on.
 */
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigFileError } from '../errors.ts';
import { type Options, resolveSnapshotOptions, type SnapshotOptions } from '../options.ts';
import { sleep } from '../toolkit/sleep.ts';
import type { HostContext } from '../watch/context.ts';
import { startWatch, type Watcher } from '../watch/watcher.ts';
import { WEBHOOK_PATH } from '../watch/webhook.ts';
import type { Output } from './reporter.ts';

export interface WatchIo {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Makes printed text safe (no token). */
  safe(text: string): string;
  quiet: boolean;
  /** Debug lines too (`--verbose`, `DEBUG=unplugin-buttercms`). */
  debug: boolean;
}

export interface WatchSetup {
  webhookPort: number | undefined;
  configFile: string | undefined;
  /** What the first sync warned about, printed already (see `WatchOptions.shownWarnings`). */
  shownWarnings?: readonly string[];
  /** Flags + config file again, after the config file changed. */
  reloadOptions(): Promise<Options>;
}

export async function runWatch(
  initial: SnapshotOptions,
  io: WatchIo,
  setup: WatchSetup,
): Promise<void> {
  const time = () => new Date().toISOString().slice(11, 19);
  const line = (out: Output, text: string) => out.write(io.safe(`[${time()}] ${text}\n`));
  let reloading: Promise<void> | undefined;
  /** A change seen while a reload runs: one more follows (that one may have read half a file). */
  let again: string | undefined;
  const host: HostContext = {
    invalidate(change) {
      if (change.typesChanged && !io.quiet) line(io.stdout, 'types regenerated');
    },
    reload(reason) {
      if (reloading) {
        again = reason;
        return;
      }
      reloading = (async () => {
        for (let next: string | undefined = reason; next !== undefined; next = again) {
          again = undefined;
          await reload(next);
        }
      })().finally(() => {
        reloading = undefined;
      });
    },
    log: {
      info: (m) => (io.quiet ? undefined : line(io.stdout, m)),
      warn: (m) => line(io.stderr, `warning: ${m}`),
      error: (m) => line(io.stderr, `error: ${m}`),
      ...(io.debug ? { debug: (m: string) => line(io.stderr, `debug: ${m}`) } : {}),
    },
  };
  const start = (options: SnapshotOptions) =>
    startWatch({
      options,
      host,
      configFiles: setup.configFile ? [setup.configFile] : [],
      shownWarnings: setup.shownWarnings ?? [],
    });
  let watcher = await start(initial);
  const secret = watcher.secret;

  /** The options, resolved; a config file that does not load is read again once it settles. */
  async function readOptions(): Promise<SnapshotOptions> {
    const read = async () =>
      resolveSnapshotOptions({ ...(await setup.reloadOptions()), webhookSecret: secret }, io.env);
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ConfigFileError) || !setup.configFile) throw error;
      await settled(setup.configFile);
      return read();
    }
  }

  /** The options in use, to compare: a save that changes nothing restarts nothing. */
  const optionsKey = (options: SnapshotOptions) =>
    JSON.stringify({ ...options, webhookSecret: undefined });
  let applied = optionsKey(initial);

  /** The config file changed: restart the loop with the new options, then sync everything. */
  async function reload(reason: string): Promise<void> {
    let next: SnapshotOptions;
    try {
      next = await readOptions();
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^\[buttercms\] /, '') : '';
      line(
        io.stderr,
        `error: ${reason}, but: ${message.split('\n')[0] || String(error)}; keeping the previous configuration`,
      );
      return;
    }
    if (optionsKey(next) === applied) return;
    applied = optionsKey(next);
    line(io.stdout, `${reason}: configuration reloaded`);
    await watcher.close();
    if (io.signal?.aborted) return;
    watcher = await start(next);
    await watcher.refresh('configuration changed');
  }

  let server: Server | undefined;
  try {
    if (setup.webhookPort !== undefined) {
      server = await serveWebhook(
        (req, res, next) => watcher.webhook(req, res, next),
        setup.webhookPort,
      );
      const { port } = server.address() as AddressInfo;
      const shown = initial.webhookSecret ? '<BUTTERCMS_WEBHOOK_SECRET>' : secret;
      line(io.stdout, `webhook: POST http://127.0.0.1:${port}${WEBHOOK_PATH}?secret=${shown}`);
    }
    if (!io.quiet) line(io.stdout, 'watching ButterCMS for changes (Ctrl-C to stop)');
    await aborted(io.signal);
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    await reloading;
    await watcher.close();
  }
}

function serveWebhook(middleware: Watcher['webhook'], port: number): Promise<Server> {
  const server = createServer((req, res) =>
    middleware(req, res, () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: `not found; POST ${WEBHOOK_PATH}` }));
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Resolves once `file` has not changed (size, time) for 300 ms, or after 3 s. */
async function settled(file: string): Promise<void> {
  const state = async () => {
    const info = await stat(file).catch(() => undefined);
    return info ? `${info.size}:${info.mtimeMs}` : '';
  };
  let last = await state();
  let quiet = 0;
  for (let waited = 0; quiet < 300 && waited < 3000; waited += 50) {
    await sleep(50);
    const now = await state();
    quiet = now === last ? quiet + 50 : 0;
    last = now;
  }
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
