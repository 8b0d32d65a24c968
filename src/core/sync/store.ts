/**
 * The streaming store, for a sync without media and types (nothing after the crawl needs
 * whole entities). The client parses and validates each listing page as usual; the store then
 * puts stubs (`stubOf`) in place of its entities, and hands the page's bytes (transferred, not
 * copied) with the entities' names to a worker thread (`store-worker.ts`), which stores the entities
 * straight from those bytes (see `spans.ts`), spools them to `<out>.spool-*`, and writes each
 * listing's chunk files into the snapshot's temporary folder once it is complete. So the
 * snapshot is stored on a second core while the crawl goes on, the crawl never waits for it,
 * and neither thread keeps the content; `writeSnapshot` then finishes the write with what is
 * left (indexes, probes, taxonomies, extra files) and swaps it in.
 */
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { ButterError, type ButterErrorCode } from '../errors.ts';
import type { JsonObject } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { collectionListKey } from '../model/listing.ts';
import { forEachRefUri } from '../model/refs.ts';
import { identities } from '../snapshot/layout.ts';
import { escapeName } from '../snapshot/names.ts';
import type { StoredFolder } from '../snapshot/staged.ts';
import { siblingFolder } from '../snapshot/swap.ts';
import { SnapshotWriter, writeFailure } from '../snapshot/write.ts';
import { type ListingShape, storedEntities } from './api.ts';

/** A page the store took: the body with stubs, and the page's number for `complete`. */
export interface TakenPage {
  body: JsonObject;
  page: number;
}

/** A listing page for the worker: where its entities are in `bytes`, and their names. */
export interface PageForWorker {
  type: 'page';
  page: number;
  folder: string;
  /** Key path of the entity list in the body (`['data']`, `['data', key]`). */
  path: string[];
  /** Escaped name of each entity (each object in the list), in list order. */
  names: string[];
  bytes: ArrayBuffer;
}

export type ToWorker =
  | PageForWorker
  | { type: 'folder'; folder: string; pages: number[] }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'stored'; stored: StoredFolder }
  | {
      type: 'failed';
      folder: string;
      /**
       * A `ButterError`'s parts, or (without `code`) the message of any other error, with the
       * `code`, `syscall` and `path` of a file-system error.
       */
      failure: {
        detail: string;
        code?: ButterErrorCode;
        hint?: string | undefined;
        fs?: { code: string | undefined; syscall: string | undefined; path: string | undefined };
      };
    }
  | {
      type: 'done';
      files: number;
      bytes: number;
      reused: string[];
      repaired: string[];
      written: boolean;
    };

/** What the crawl tells the store. */
export interface ListingStore {
  /**
   * Takes a page of the listing stored in `folder`: the response's bytes (which are not read
   * again) and the body parsed from them; returns the body with stubs for its entities.
   */
  take(folder: string, shape: ListingShape, bytes: ArrayBuffer, body: JsonObject): TakenPage;
  /** The listing is complete: `entities` (the stubs the content keeps) from these pages. */
  complete(entities: readonly JsonObject[], folder: string, pages: number[]): void;
}

export interface StreamingStore extends ListingStore {
  /** Waits for every folder handed over, stops the worker; the writer for `writeSnapshot`. */
  finish(): Promise<SnapshotWriter>;
  /** Stops the worker and removes what it wrote. */
  abort(): Promise<void>;
}

/**
 * What the crawl keeps of an entity the store has taken: its identity and the reference URIs
 * it holds, where discovery and the probes look for them (a page's `fields`, an item's values
 * besides `meta`). The profile, the one later step that needs whole entities, reads them back.
 */
function stubOf(entity: JsonObject, shape: ListingShape): JsonObject {
  if (shape.kind === 'post') return { slug: entity.slug ?? null };
  const refs: string[] = [];
  if (shape.kind === 'page') {
    forEachRefUri(entity.fields ?? null, (uri) => refs.push(uri));
    return { slug: entity.slug ?? null, fields: { refs } };
  }
  const { meta, ...values } = entity;
  forEachRefUri(values, (uri) => refs.push(uri));
  return { meta: { id: isObject(meta) ? (meta.id ?? null) : null }, refs };
}

/** A page's entities, where they are, how they are named, and its body with `stubs` for them. */
function splitPage(body: JsonObject, shape: ListingShape) {
  if (shape.kind !== 'item') {
    const identify =
      shape.kind === 'post' ? identities.blog('a post') : identities.page(shape.pageType);
    return {
      items: storedEntities(body, shape),
      path: ['data'],
      identify,
      withStubs: (stubs: JsonObject[]): JsonObject => ({ ...body, data: stubs }),
    };
  }
  const key = collectionListKey(body, shape.key);
  return {
    items: storedEntities(body, shape),
    path: key === undefined ? [] : ['data', key],
    identify: identities.item(shape.key),
    withStubs: (stubs: JsonObject[]): JsonObject =>
      key === undefined ? body : { ...body, data: { ...(body.data as JsonObject), [key]: stubs } },
  };
}

const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './store-worker.ts' : './store-worker.js',
  import.meta.url,
);

export async function startStreamingStore(dir: string): Promise<StreamingStore> {
  const writer = await SnapshotWriter.open(dir);
  const spool = siblingFolder(dir, 'spool');
  const worker = new Worker(WORKER, {
    workerData: {
      tmp: writer.staged.tmp,
      spool,
      previous: writer.staged.previous,
      previousDir: dir,
    },
    // The thread's garbage is short-lived (page bytes, entity texts): a small young generation
    // collects it as often for no measurable time, where V8's default (sized for the machine's
    // memory) grew the process by 40–70 MB on the largest bench account.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  // The crawl may end by failure: a pending worker must not keep the process alive.
  worker.unref();
  const stop = async () => {
    await worker.terminate();
    await rm(spool, { recursive: true, force: true });
  };
  let nextPage = 0;
  const pending = new Map<string, readonly JsonObject[]>();
  let failure: Error | undefined;
  let finished: ((message: FromWorker & { type: 'done' }) => void) | undefined;
  const done = new Promise<FromWorker & { type: 'done' }>((resolve, reject) => {
    finished = resolve;
    worker.on('error', (error) => {
      failure ??= error;
      reject(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the snapshot writer thread exited (${code})`);
      failure ??= error;
      reject(error);
    });
  });
  done.catch(() => {});
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'stored') {
      const entities = pending.get(message.stored.folder);
      pending.delete(message.stored.folder);
      if (entities) writer.addStored(entities, message.stored);
    } else if (message.type === 'failed') {
      const { detail, code, hint, fs } = message.failure;
      failure ??= code
        ? new ButterError(detail, { code, ...(hint ? { hint } : {}) })
        : writeFailure(dir, Object.assign(new Error(detail), fs));
    } else {
      finished?.(message);
    }
  });
  const post = (message: ToWorker, transfer: ArrayBuffer[] = []) =>
    worker.postMessage(message, transfer);

  return {
    take(folder, shape, bytes, body) {
      if (failure) throw failure;
      const { items, path, identify, withStubs } = splitPage(body, shape);
      // An entity the snapshot cannot name fails the listing now, as the writer would later.
      const names = items.map((item) => escapeName(String(identify(item))));
      const page = nextPage++;
      post({ type: 'page', page, folder, path, names, bytes }, [bytes]);
      return { body: withStubs(items.map((i) => stubOf(i, shape))), page };
    },
    complete(entities, folder, pages) {
      pending.set(folder, entities);
      post({ type: 'folder', folder, pages });
    },
    async finish() {
      worker.ref();
      post({ type: 'finish' });
      try {
        const stats = await done;
        if (failure) throw failure;
        writer.staged.absorb(stats);
        return writer;
      } catch (error) {
        await writer.abort();
        throw error;
      } finally {
        await stop();
      }
    },
    async abort() {
      await stop();
      await writer.abort();
    },
  };
}
