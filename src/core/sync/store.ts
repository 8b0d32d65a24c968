/**
 * The streaming store: while the crawl runs, each complete listing is rendered, hashed,
 * chunked and written into the snapshot's temporary folder by a worker thread
 * (`store-worker.ts`), from the response texts as they arrived. The crawl's thread only hands
 * texts over (a copy, not a serialization), so storing the snapshot overlaps the crawl on a
 * second core instead of following it; `writeSnapshot` then finishes the write with what is
 * left (indexes, probes, taxonomies, extra files) and swaps it in.
 */
import { Worker } from 'node:worker_threads';
import { ButterError } from '../errors.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { SnapshotWriter, type StoredFolder } from '../snapshot/write.ts';

/**
 * What a listing holds, which tells the worker where a page's items are in its body and how
 * they are named (the crawl's rules): `data` lists pages and posts, `data.<key>` items.
 */
export type ListingShape =
  | { kind: 'page'; pageType: string }
  | { kind: 'item'; key: string }
  | { kind: 'post' };

export type ToWorker =
  | { type: 'page'; page: number; folder: string; shape: ListingShape; bytes: ArrayBuffer }
  | { type: 'folder'; folder: string; pages: number[] }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'stored'; stored: StoredFolder }
  | { type: 'failed'; folder: string; message: string }
  | { type: 'done'; files: number; bytes: number; reused: string[]; written: boolean };

/** What the crawl tells the store. */
export interface ListingStore {
  /**
   * A page of the listing stored in `folder` arrived, as the response's bytes (which the store
   * takes: they are unusable afterwards); returns its number for `complete`.
   */
  page(folder: string, shape: ListingShape, bytes: ArrayBuffer): number;
  /** The listing is complete: `entities` (the array the content keeps) from these pages. */
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
  const worker = new Worker(WORKER, {
    workerData: { tmp: writer.staged.tmp, previous: writer.staged.previous },
  });
  // The crawl may end by failure: a pending worker must not keep the process alive.
  worker.unref();
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
    worker.on('exit', (code) => reject(new Error(`the snapshot writer thread exited (${code})`)));
  });
  done.catch(() => {});
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'stored') {
      const entities = pending.get(message.stored.folder);
      pending.delete(message.stored.folder);
      if (entities) writer.addStored(entities, message.stored);
    } else if (message.type === 'failed') {
      failure ??= new ButterError(message.message, {
        code: 'SNAPSHOT',
        hint: 'This is a bug in the sync: please report it with the account shape.',
      });
    } else {
      finished?.(message);
    }
  });
  const post = (message: ToWorker) => worker.postMessage(message);

  return {
    page(folder, shape, bytes) {
      const page = nextPage++;
      // Transferred, not copied: the crawl's thread keeps no second copy of the response.
      worker.postMessage({ type: 'page', page, folder, shape, bytes } satisfies ToWorker, [bytes]);
      return page;
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
        await worker.terminate();
      }
    },
    async abort() {
      await worker.terminate();
      await writer.abort();
    },
  };
}
