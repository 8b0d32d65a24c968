/**
 * The streaming store's thread (see `store.ts`): parses each page text as it arrives, renders
 * its entities' texts, and when a listing is complete stores its folder as chunk files in the
 * snapshot's temporary folder, answering with the hashes the manifest needs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { identities, type Member, renderMembers } from '../snapshot/layout.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { StagedFiles } from '../snapshot/write.ts';
import { dataList } from './api.ts';
import { collectionItems } from './listings.ts';
import type { FromWorker, ListingShape, ToWorker } from './store.ts';

const { tmp, previous } = workerData as { tmp: string; previous: Map<string, string> };
const staged = new StagedFiles(tmp, previous);
/** Rendered pages by number, each with the folder it belongs to. */
const pages = new Map<number, { folder: string; members: Member[] }>();
const failed = new Set<string>();
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

const decoder = new TextDecoder();

function render(shape: ListingShape, bytes: ArrayBuffer): Member[] {
  const body = JSON.parse(decoder.decode(bytes)) as JsonObject;
  if (shape.kind === 'item') {
    return renderMembers(collectionItems(body, shape.key), identities.item(shape.key));
  }
  const identify =
    shape.kind === 'post' ? identities.blog('a post') : identities.page(shape.pageType);
  return renderMembers(dataList(body), identify);
}

function fail(folder: string, error: unknown) {
  failed.add(folder);
  send({ type: 'failed', folder, message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'page') {
    if (failed.has(message.folder)) return;
    try {
      pages.set(message.page, {
        folder: message.folder,
        members: render(message.shape, message.bytes),
      });
    } catch (error) {
      fail(message.folder, error);
    }
  } else if (message.type === 'folder') {
    const { folder } = message;
    // Every page of the listing is dropped, those it did not use (a fallback) included.
    const used = message.pages.map((n) => pages.get(n));
    for (const [n, page] of pages) if (page.folder === folder) pages.delete(n);
    if (failed.has(folder)) return;
    try {
      const members: Member[] = [];
      const seen = new Set<string>();
      for (const page of used) {
        if (!page) throw new Error(`a page of ${folder} never reached the snapshot writer`);
        // A duplicate identity keeps its first occurrence, as in `renderMembers`.
        for (const member of page.members) {
          if (seen.has(member[0])) continue;
          seen.add(member[0]);
          members.push(member);
        }
      }
      send({ type: 'stored', stored: staged.putFolder(folder, members) });
    } catch (error) {
      fail(folder, error);
    }
  } else {
    send({
      type: 'done',
      files: staged.files,
      bytes: staged.bytes,
      reused: staged.reused,
      written: staged.written,
    });
  }
});
