/**
 * What a detected change names, as the part of the account to refresh (`SyncScope`): the
 * parts of a change check (`pages/<type>@<locale>`, `content/<key>`, `posts`) and webhook
 * events. `undefined` means everything (a full sync).
 */
import type { SyncScope } from '../sync/types.ts';
import type { WebhookEvent } from './webhook.ts';

/** The scope of the fingerprint parts that moved (`locales`: the checked ones). */
export function scopeOfParts(
  parts: readonly string[],
  locales: readonly (string | null)[],
): SyncScope | undefined {
  const suffixes = locales.filter((l) => l !== null).map((l) => `@${l}`);
  const scope: SyncScope = {};
  for (const part of parts) {
    const [kind, rest = ''] = splitOnce(part, '/');
    const suffix = suffixes.find((s) => rest.endsWith(s));
    const name = suffix ? rest.slice(0, -suffix.length) : rest;
    if (kind === 'pages' && name === '*') scope.singlePages = true;
    else if (kind === 'pages' && name) add(scope, 'pageTypes', name);
    else if (kind === 'content' && name) add(scope, 'collections', name);
    else if (part === 'posts') scope.blog = true;
    else return undefined;
  }
  return scope;
}

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

function add(scope: SyncScope, key: 'pageTypes' | 'collections', name: string) {
  const list = scope[key] ?? [];
  if (!list.includes(name)) list.push(name);
  scope[key] = list;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
