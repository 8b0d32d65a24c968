/**
 * The streaming store's thread (see `store.ts`). Each page is parsed here as it arrives (with
 * the client's own validation) and its body goes back at once with stubs in place of the
 * entities; in later turns the entities are rendered and hashed and their texts appended to
 * the listing's spool file (the thread holds names and offsets, not texts). When a listing is
 * complete it is stored chunk by chunk (each chunk's texts read back from the spool) as chunk
 * files in the snapshot's temporary folder, and the hashes the manifest needs go back to the
 * crawl's thread.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { parseBody } from '../client/validate.ts';
import { ButterError } from '../errors.ts';
import { hashText } from '../snapshot/hash.ts';
import {
  type ChunkMember,
  chunkMembers,
  identities,
  type Member,
  renderMembers,
} from '../snapshot/layout.ts';
import type { JsonObject } from '../snapshot/model.ts';
import { StagedFiles } from '../snapshot/write.ts';
import { dataList, isObject } from './api.ts';
import { collectionItems, collectionListKey } from './listings.ts';
import { forEachRefUri } from './refs.ts';
import type { FromWorker, ListingShape, StoredParse, ToWorker } from './store.ts';

const { tmp, spool, previous } = workerData as {
  tmp: string;
  spool: string;
  previous: Map<string, string>;
};
// Chunk files are written on the thread pool: this thread parses pages meanwhile.
const staged = new StagedFiles(tmp, previous, { background: true });
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);
const decoder = new TextDecoder();

/** An entity spooled: its name, hash and where its text is in the listing's spool file. */
interface Spooled {
  name: string;
  hash: string;
  start: number;
  bytes: number;
}

/** A listing's spool file, appended to as its pages arrive. */
interface Spool {
  fd: number;
  path: string;
  size: number;
}

const spools = new Map<string, Spool>();
/** Pages by number, each with its listing (folder) and spooled entities. */
const pages = new Map<number, { folder: string; members: Spooled[] }>();
const failed = new Set<string>();

function spoolOf(folder: string): Spool {
  let file = spools.get(folder);
  if (!file) {
    if (spools.size === 0) mkdirSync(spool, { recursive: true });
    const path = join(spool, String(spools.size));
    file = { fd: openSync(path, 'w+'), path, size: 0 };
    spools.set(folder, file);
  }
  return file;
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

type Identify = (entity: JsonObject) => string | number;

/** The page's items, how they are named, and its body with `stubs` in their place. */
function splitPage(
  body: JsonObject,
  shape: ListingShape,
): { items: JsonObject[]; identify: Identify; withStubs(stubs: JsonObject[]): JsonObject } {
  if (shape.kind !== 'item') {
    const items = dataList(body);
    const withStubs = (stubs: JsonObject[]): JsonObject => ({ ...body, data: stubs });
    const identify =
      shape.kind === 'post' ? identities.blog('a post') : identities.page(shape.pageType);
    return { items, identify, withStubs };
  }
  const key = collectionListKey(body, shape.key);
  const items = collectionItems(body, shape.key);
  const withStubs = (stubs: JsonObject[]): JsonObject =>
    key === undefined ? body : { ...body, data: { ...(body.data as JsonObject), [key]: stubs } };
  return { items, identify: identities.item(shape.key), withStubs };
}

function spoolPage(folder: string, entities: Member[]): Spooled[] {
  const file = spoolOf(folder);
  const spooled: Spooled[] = [];
  const texts: string[] = [];
  for (const [name, text] of entities) {
    const length = Buffer.byteLength(text);
    spooled.push({ name, hash: hashText(text), start: file.size, bytes: length });
    texts.push(text);
    file.size += length;
  }
  writeSync(file.fd, texts.join(''));
  return spooled;
}

/** Reads one spooled text (the spool is not read whole: a listing's texts never sit together). */
function readSpooled(file: Spool | undefined, start: number, bytes: number): string {
  if (!file || bytes === 0) return '';
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  readSync(file.fd, scratch, 0, bytes, start);
  return scratch.toString('utf8', 0, bytes);
}
let scratch = Buffer.allocUnsafe(64 * 1024);

function storeListing(folder: string, used: ({ members: Spooled[] } | undefined)[]) {
  const file = spools.get(folder);
  const members: ChunkMember[] = [];
  const seen = new Set<string>();
  for (const page of used) {
    if (!page) throw new Error(`a page of ${folder} never reached the snapshot writer`);
    // A duplicate identity keeps its first occurrence, as in `renderMembers`.
    for (const { name, hash, start, bytes } of page.members) {
      if (seen.has(name)) continue;
      seen.add(name);
      members.push({ name, hash, bytes, text: () => readSpooled(file, start, bytes) });
    }
  }
  send({ type: 'stored', stored: staged.putChunked(folder, chunkMembers(folder, members)) });
}

function dropSpool(folder: string) {
  const file = spools.get(folder);
  if (!file) return;
  closeSync(file.fd);
  rmSync(file.path, { force: true });
}

function fail(folder: string, error: unknown) {
  failed.add(folder);
  const failure =
    error instanceof ButterError
      ? { detail: error.summary, code: error.code, hint: error.hint }
      : { detail: error instanceof Error ? error.message : String(error) };
  send({ type: 'failed', folder, failure });
}

let nextPage = 0;

/**
 * Pages parsed but not yet rendered. The crawl waits for a parse, not for the rendering: a
 * page is answered at once and rendered in a later turn, between other pages' parses.
 */
const backlog: { page: number; folder: string; items: JsonObject[]; identify: Identify }[] = [];
let draining = false;
const MAX_BACKLOG = 4;

type Parsed = (typeof backlog)[number];

function render({ page, folder, items, identify }: Parsed): void {
  if (failed.has(folder)) return;
  try {
    pages.set(page, { folder, members: spoolPage(folder, renderMembers(items, identify)) });
  } catch (error) {
    fail(folder, error);
  }
}

function renderNext(): void {
  const next = backlog.shift();
  if (next) render(next);
}

function drainLater(): void {
  if (draining) return;
  draining = true;
  setImmediate(() => {
    draining = false;
    renderNext();
    if (backlog.length > 0) drainLater();
  });
}

/** Renders every parsed page of `folder` (all pages when `folder` is undefined) now. */
function renderPending(folder?: string): void {
  for (let i = 0; i < backlog.length; ) {
    if (folder === undefined || backlog[i]!.folder === folder) render(backlog.splice(i, 1)[0]!);
    else i++;
  }
}

/** Parses a page; keeps its entities (rendered later) unless its listing failed. */
function parsePage(message: ToWorker & { type: 'page' }): StoredParse {
  const parsed = parseBody(decoder.decode(message.bytes), message.contentType);
  if (!parsed.ok || !isObject(parsed.value) || failed.has(message.folder)) {
    return parsed.ok ? { ...parsed, page: -1 } : parsed;
  }
  const body = parsed.value;
  const { items, identify, withStubs } = splitPage(body, message.shape);
  const page = nextPage++;
  backlog.push({ page, folder: message.folder, items, identify });
  // Parsed pages wait for rendering only while the backlog is short (it holds whole pages).
  while (backlog.length > MAX_BACKLOG) renderNext();
  drainLater();
  return { ok: true, value: withStubs(items.map((i) => stubOf(i, message.shape))), page };
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'page') {
    send({ type: 'parsed', id: message.id, result: parsePage(message) });
  } else if (message.type === 'folder') {
    const { folder } = message;
    renderPending(folder);
    // Every page of the listing is dropped, those it did not use (a fallback) included.
    const used = message.pages.map((n) => pages.get(n));
    for (const [n, page] of pages) if (page.folder === folder) pages.delete(n);
    try {
      if (!failed.has(folder)) storeListing(folder, used);
    } catch (error) {
      fail(folder, error);
    } finally {
      dropSpool(folder);
    }
  } else {
    renderPending();
    staged.settled().then(
      () =>
        send({
          type: 'done',
          files: staged.files,
          bytes: staged.bytes,
          reused: staged.reused,
          written: staged.written,
        }),
      (error: unknown) => {
        fail('', error);
        send({ type: 'done', files: 0, bytes: 0, reused: [], written: true });
      },
    );
  }
});
