/**
 * The streaming store, for a sync without media and types (nothing after the crawl needs
 * whole entities). Every listing page is parsed by a worker thread (`store-worker.ts`) instead
 * of the crawl's: it gets the response bytes (transferred, not copied), renders and hashes the
 * page's entities, spools their texts to `<out>.spool-*`, and answers the envelope with stubs
 * (`stubOf`) in place of the entities. When a listing is complete the thread writes its chunk
 * files into the snapshot's temporary folder. So the snapshot is stored on a second core while
 * the crawl goes on, and the crawl's thread neither decodes, parses nor keeps the content;
 * `writeSnapshot` then finishes the write with what is left (indexes, probes, taxonomies, extra
 * files) and swaps it in.
 */
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ParseResult } from '../client/index.ts';
import { ButterError, type ButterErrorCode } from '../errors.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { siblingFolder } from '../snapshot/swap.ts';
import { SnapshotWriter, type StoredFolder, writeFailure } from '../snapshot/write.ts';

/**
 * What a listing holds, which tells the worker where a page's items are in its body and how
 * they are named (the crawl's rules): `data` lists pages and posts, `data.<key>` items.
 */
export type ListingShape =
  | { kind: 'page'; pageType: string }
  | { kind: 'item'; key: string }
  | { kind: 'post' };

/** A page parsed by the store: the body with stubs, and the page's number for `complete`. */
export type StoredParse =
  | ({ ok: true; page: number } & ParseResult)
  | (ParseResult & { ok: false });

export type ToWorker =
  | {
      type: 'page';
      id: number;
      folder: string;
      shape: ListingShape;
      bytes: ArrayBuffer;
      contentType: string | null;
    }
  | { type: 'folder'; folder: string; pages: number[] }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'parsed'; id: number; result: StoredParse }
  | { type: 'stored'; stored: StoredFolder }
  | {
      type: 'failed';
      folder: string;
      /** A `ButterError`'s parts, or (without `code`) the message of any other error. */
      failure: { detail: string; code?: ButterErrorCode; hint?: string | undefined };
    }
  | { type: 'done'; files: number; bytes: number; reused: string[]; written: boolean };

/** What the crawl tells the store. */
export interface ListingStore {
  /**
   * Parses a page of the listing stored in `folder` from the response's bytes (which the store
   * takes), keeping its entities; resolves to the body with their stubs.
   */
  parse(
    folder: string,
    shape: ListingShape,
    bytes: ArrayBuffer,
    contentType: string | null,
  ): Promise<StoredParse>;
  /** The listing is complete: `entities` (the stubs the content keeps) from these pages. */
  complete(entities: readonly JsonObject[], folder: string, pages: number[]): void;
}

export interface StreamingStore extends ListingStore {
  /** Waits for every folder handed over, stops the worker; the writer for `writeSnapshot`. */
  finish(): Promise<SnapshotWriter>;
  /** Stops the worker and removes what it wrote. */
  abort(): Promise<void>;
}

const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './store-worker.ts' : './store-worker.js',
  import.meta.url,
);

export async function startStreamingStore(dir: string): Promise<StreamingStore> {
  const writer = await SnapshotWriter.open(dir);
  const spool = siblingFolder(dir, 'spool');
  const worker = new Worker(WORKER, {
    workerData: { tmp: writer.staged.tmp, spool, previous: writer.staged.previous },
    // The thread's garbage is short-lived (page texts, parsed pages): a small young generation
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
  let nextId = 0;
  const replies = new Map<number, { resolve(r: StoredParse): void; reject(e: unknown): void }>();
  const pending = new Map<string, readonly JsonObject[]>();
  let failure: Error | undefined;
  let finished: ((message: FromWorker & { type: 'done' }) => void) | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const reply of replies.values()) reply.reject(failure);
    replies.clear();
  };
  const done = new Promise<FromWorker & { type: 'done' }>((resolve, reject) => {
    finished = resolve;
    worker.on('error', (error) => {
      fail(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the snapshot writer thread exited (${code})`);
      fail(error);
      reject(error);
    });
  });
  done.catch(() => {});
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'parsed') {
      replies.get(message.id)?.resolve(message.result);
      replies.delete(message.id);
    } else if (message.type === 'stored') {
      const entities = pending.get(message.stored.folder);
      pending.delete(message.stored.folder);
      if (entities) writer.addStored(entities, message.stored);
    } else if (message.type === 'failed') {
      const { detail, code, hint } = message.failure;
      failure ??= code
        ? new ButterError(detail, { code, ...(hint ? { hint } : {}) })
        : writeFailure(dir, new Error(detail));
    } else {
      finished?.(message);
    }
  });
  const post = (message: ToWorker, transfer: ArrayBuffer[] = []) =>
    worker.postMessage(message, transfer);

  return {
    parse(folder, shape, bytes, contentType) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        replies.set(id, { resolve, reject });
        post({ type: 'page', id, folder, shape, bytes, contentType }, [bytes]);
      });
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
