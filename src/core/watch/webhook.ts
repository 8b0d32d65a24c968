/**
 * The dev server's webhook endpoint. ButterCMS POSTs `{data: {id, …}, webhook: {event,
 * target}}` for page, collection item and post events; it signs nothing, so the endpoint
 * requires a shared secret in the configured URL (`?secret=…`) or an `x-buttercms-secret`
 * header. It answers at once (ButterCMS gives up after 5 s) and re-syncs afterwards.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const WEBHOOK_PATH = '/__buttercms/webhook';
const MAX_BODY = 64 * 1024;

export interface WebhookEvent {
  /** `page.published`, `collectionitem.delete`, `post.all`, … */
  event: string;
  kind: 'page' | 'collectionitem' | 'post' | 'other';
  /** Page slug, collection key or post slug. */
  id: string | undefined;
  pageType?: string;
  locale?: string;
}

export function randomSecret(): string {
  return randomBytes(18).toString('base64url');
}

/** Parses a webhook body; `undefined` when it is not one. */
export function parseWebhook(body: unknown): WebhookEvent | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { data, webhook } = body as { data?: unknown; webhook?: unknown };
  const event = (webhook as { event?: unknown } | undefined)?.event;
  if (typeof event !== 'string' || !data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const prefix = event.split('.')[0];
  const kind =
    prefix === 'page' || prefix === 'collectionitem' || prefix === 'post' ? prefix : 'other';
  const out: WebhookEvent = { event, kind, id: typeof d.id === 'string' ? d.id : undefined };
  if (typeof d.page_type === 'string') out.pageType = d.page_type;
  if (typeof d.locale === 'string') out.locale = d.locale;
  return out;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: message }));
}

/** Connect-style middleware for `WEBHOOK_PATH`. */
export function webhookMiddleware(secret: string, onEvent: (event: WebhookEvent) => void) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WEBHOOK_PATH) return next();
    if (req.method !== 'POST') return reply(res, 405, 'POST only');
    const header = req.headers['x-buttercms-secret'];
    const given = url.searchParams.get('secret') ?? (Array.isArray(header) ? header[0] : header);
    if (!sameSecret(given, secret)) return reply(res, 401, 'wrong or missing secret');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reply(res, 413, 'body too large');
      let event: WebhookEvent | undefined;
      try {
        event = parseWebhook(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {}
      if (!event) return reply(res, 400, 'not a ButterCMS webhook body');
      reply(res, 202, 'accepted');
      onEvent(event);
    });
  };
}
