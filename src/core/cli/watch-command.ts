/**
 * `butter-sync --watch`: after the first sync, keep the snapshot fresh without a bundler —
 * the same watch loop as the dev servers (`startWatch`: change checks, partial refreshes,
 * webhooks, the config file) with a host that prints one line per refresh. With
 * `--webhook-port` the webhook endpoint is served on 127.0.0.1. Runs until `signal` aborts
 * (SIGINT/SIGTERM), then closes everything; a failed refresh is logged and watching goes on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Options } from '../options.ts';
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
}

export async function runWatch(
  options: Options,
  io: WatchIo,
  watch: { webhookPort: number | undefined; configFile: string | undefined },
): Promise<void> {
  const time = () => new Date().toISOString().slice(11, 19);
  const line = (out: Output, text: string) => out.write(io.safe(`[${time()}] ${text}\n`));
  const host: HostContext = {
    invalidate(change) {
      if (change.typesChanged && !io.quiet) line(io.stdout, 'types regenerated');
    },
    reload(reason) {
      line(io.stderr, `${reason}: restart butter-sync --watch to apply it`);
    },
    log: {
      info: (m) => (io.quiet ? undefined : line(io.stdout, m)),
      warn: (m) => line(io.stderr, `warning: ${m}`),
      error: (m) => line(io.stderr, `error: ${m}`),
    },
  };
  const watcher = await startWatch({
    options,
    host,
    env: io.env,
    configFiles: watch.configFile ? [watch.configFile] : [],
  });
  let server: Server | undefined;
  try {
    if (watch.webhookPort !== undefined) {
      server = await serveWebhook(watcher.webhook, watch.webhookPort);
      const { port } = server.address() as AddressInfo;
      const secret = options.webhookSecret || io.env.BUTTERCMS_WEBHOOK_SECRET;
      const shown = secret ? '<BUTTERCMS_WEBHOOK_SECRET>' : watcher.secret;
      line(io.stdout, `webhook: POST http://127.0.0.1:${port}${WEBHOOK_PATH}?secret=${shown}`);
    }
    if (!io.quiet) line(io.stdout, 'watching ButterCMS for changes (Ctrl-C to stop)');
    await aborted(io.signal);
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
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
