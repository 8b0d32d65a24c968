/**
 * `butter-sync --watch`: after the first sync, keep the snapshot fresh without a bundler —
 * the same watch loop as the dev servers (`startWatch`: change checks, partial refreshes,
 * webhooks) with a host that prints one line per refresh; a change to the config file restarts
 * the loop with the new options. With `--webhook-port` the webhook endpoint is served on
 * 127.0.0.1. Runs until `signal` aborts (SIGINT/SIGTERM), then closes everything; a failed
 * refresh is logged and watching goes on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Options } from '../options.ts';
import type { HostContext } from '../watch/context.ts';
import { resolveForSnapshot } from '../watch/prepare.ts';
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
}

export interface WatchSetup {
  webhookPort: number | undefined;
  configFile: string | undefined;
  /** What the first sync warned about, printed already (see `WatchOptions.shownWarnings`). */
  shownWarnings?: readonly string[];
  /** Flags + config file again, after the config file changed. */
  reloadOptions(): Promise<Options>;
}

export async function runWatch(initial: Options, io: WatchIo, setup: WatchSetup): Promise<void> {
  const time = () => new Date().toISOString().slice(11, 19);
  const line = (out: Output, text: string) => out.write(io.safe(`[${time()}] ${text}\n`));
  let reloading: Promise<void> | undefined;
  const host: HostContext = {
    invalidate(change) {
      if (change.typesChanged && !io.quiet) line(io.stdout, 'types regenerated');
    },
    reload(reason) {
      reloading ??= reload(reason).finally(() => {
        reloading = undefined;
      });
    },
    log: {
      info: (m) => (io.quiet ? undefined : line(io.stdout, m)),
      warn: (m) => line(io.stderr, `warning: ${m}`),
      error: (m) => line(io.stderr, `error: ${m}`),
    },
  };
  const start = (options: Options) =>
    startWatch({
      options,
      host,
      env: io.env,
      configFiles: setup.configFile ? [setup.configFile] : [],
      shownWarnings: setup.shownWarnings ?? [],
    });
  let watcher = await start(initial);
  const secret = watcher.secret;

  /** The config file changed: restart the loop with the new options, then sync everything. */
  async function reload(reason: string): Promise<void> {
    let next: Options;
    try {
      next = { ...(await setup.reloadOptions()), webhookSecret: secret };
      resolveForSnapshot(next, io.env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      line(
        io.stderr,
        `error: ${reason}, but: ${message.split('\n')[0]}; keeping the previous configuration`,
      );
      return;
    }
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
      const configured = initial.webhookSecret || io.env.BUTTERCMS_WEBHOOK_SECRET;
      const shown = configured ? '<BUTTERCMS_WEBHOOK_SECRET>' : secret;
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

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
