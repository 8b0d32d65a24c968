/**
 * What a webhook event names, as the part of the account to refresh (`SyncScope`).
 * `undefined` means everything (a warm sync of the whole account).
 */
import type { SyncScope } from '../sync/types.ts';
import type { WebhookEvent } from './webhook.ts';

/**
 * The scope a webhook names: a page's page type (single pages for `*` or none), an item's
 * collection (`data.id` is the collection key), the blog for posts; anything else: everything.
 */
export function scopeOfWebhook(event: WebhookEvent): SyncScope | undefined {
  if (event.kind === 'post') return { blog: true };
  if (event.kind === 'page') {
    return event.pageType && event.pageType !== '*'
      ? { pageTypes: [event.pageType] }
      : { singlePages: true };
  }
  if (event.kind === 'collectionitem' && event.id) return { collections: [event.id] };
  return undefined;
}

/** Both scopes in one (`undefined`, everything, wins). */
export function mergeScopes(
  a: SyncScope | undefined,
  b: SyncScope | undefined,
): SyncScope | undefined {
  if (!a || !b) return undefined;
  const out: SyncScope = {};
  const union = (x: string[] = [], y: string[] = []) => [...new Set([...x, ...y])];
  if (a.pageTypes || b.pageTypes) out.pageTypes = union(a.pageTypes, b.pageTypes);
  if (a.collections || b.collections) out.collections = union(a.collections, b.collections);
  if (a.singlePages || b.singlePages) out.singlePages = true;
  if (a.blog || b.blog) out.blog = true;
  return out;
}
