/**
 * Progress per content kind: every listing announces its total (`meta.count` of its first page)
 * and adds what each page brought, so a UI can show `done/total` for pages, items, posts …
 */
import type { JsonObject } from '../model/content.ts';
import { CONTENT_KINDS, type ContentKind, type EntityCounts, type SyncEvent } from './types.ts';

export interface Progress {
  /** A per-listing callback: call it with each response body and the items taken from it. */
  listing(kind: ContentKind): (body: JsonObject, items: readonly unknown[]) => void;
  snapshot(): { done: EntityCounts; total: EntityCounts };
}

export function zeroCounts(): EntityCounts {
  return Object.fromEntries(CONTENT_KINDS.map((k) => [k, 0])) as EntityCounts;
}

export function createProgress(emit?: (event: SyncEvent) => void): Progress {
  const done = zeroCounts();
  const total = zeroCounts();
  const send = (kind: ContentKind) => {
    if (total[kind] < done[kind]) total[kind] = done[kind];
    emit?.({ type: 'progress', kind, done: done[kind], total: total[kind] });
  };
  return {
    listing(kind) {
      let announced: number | undefined;
      let counted = false;
      let got = 0;
      return (body, items) => {
        if (announced === undefined) {
          const count = isCount(body.meta);
          counted = count !== undefined;
          announced = count ?? items.length;
          total[kind] += announced;
        }
        // A listing that re-reads pages (smaller page size, next_page chain) counts them once.
        const add = counted ? Math.max(0, Math.min(items.length, announced - got)) : items.length;
        got += add;
        done[kind] += add;
        send(kind);
      };
    },
    snapshot: () => ({ done: { ...done }, total: { ...total } }),
  };
}

function isCount(meta: unknown): number | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const count = (meta as { count?: unknown }).count;
  return typeof count === 'number' && Number.isFinite(count) && count >= 0 ? count : undefined;
}
