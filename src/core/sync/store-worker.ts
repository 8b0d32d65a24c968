/**
 * The streaming store's thread (see `store.ts`). Each listing page arrives as the response's
 * bytes with its entities' names; the bytes are appended to the listing's spool file as they
 * are, and each entity is located in them (`entitySpans`) and hashed there — an entity whose
 * bytes are not its snapshot text is rendered and that text spooled instead. The thread holds
 * names and offsets, not texts. When a listing is complete it is stored chunk by chunk (each
 * chunk's texts read back from the spool) as chunk files in the snapshot's temporary folder,
 * and the hashes the manifest needs go back to the crawl's thread.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ButterError } from '../errors.ts';
import type { Json } from '../model/content.ts';
import { isObject } from '../model/json.ts';
import { isFsError, makeFolder } from '../snapshot/files.ts';
import { hashText } from '../snapshot/hash.ts';
import { type ChunkMember, chunkMembers } from '../snapshot/layout.ts';
import { entitySpans } from '../snapshot/spans.ts';
import { StagedFiles } from '../snapshot/staged.ts';
import type { FromWorker, PageForWorker, ToWorker } from './store.ts';

const { tmp, spool, previous, previousDir } = workerData as {
  tmp: string;
  spool: string;
  previous: Map<string, string>;
  previousDir: string;
};
// Chunk files are written on the thread pool: this thread takes pages meanwhile.
const staged = new StagedFiles(tmp, previous, previousDir, { background: true });
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
    if (spools.size === 0) makeFolder(spool);
    const path = join(spool, String(spools.size));
    file = { fd: openSync(path, 'w+'), path, size: 0 };
    spools.set(folder, file);
  }
  return file;
}

function append(file: Spool, bytes: Uint8Array): number {
  const start = file.size;
  writeSync(file.fd, bytes);
  file.size += bytes.length;
  return start;
}

/** The entity texts of a page the long way: parsed here, each entity rendered. */
function renderedTexts(bytes: Buffer, path: readonly string[], count: number): Buffer[] {
  let list: Json | undefined = JSON.parse(decoder.decode(bytes)) as Json;
  for (const key of path) list = isObject(list) && Object.hasOwn(list, key) ? list[key] : undefined;
  const items = Array.isArray(list) ? list.filter(isObject) : [];
  if (items.length !== count) {
    throw new Error(`a page holds ${items.length} entities where the crawl saw ${count}`);
  }
  return items.map((item) => Buffer.from(JSON.stringify(item)));
}

/**
 * Spools a page: its bytes whole, where each entity's canonical span is its text; the text of
 * any other entity (or of all, when the bytes cannot be followed) rendered and appended.
 */
function spoolPage({ folder, path, names, bytes }: PageForWorker): Spooled[] {
  if (names.length === 0) return [];
  const file = spoolOf(folder);
  const view = Buffer.from(bytes);
  const spans = isUtf8(view) ? entitySpans(view, path) : undefined;
  if (!spans || spans.starts.length !== names.length) {
    return renderedTexts(view, path, names.length).map((text, i) => ({
      name: names[i]!,
      hash: hashText(text),
      start: append(file, text),
      bytes: text.length,
    }));
  }
  const base = append(file, view);
  return names.map((name, i) => {
    const span = view.subarray(spans.starts[i], spans.ends[i]);
    const text = spans.canonical[i]
      ? span
      : Buffer.from(JSON.stringify(JSON.parse(span.toString())));
    const start = spans.canonical[i] ? base + spans.starts[i]! : append(file, text);
    return { name, hash: hashText(text), start, bytes: text.length };
  });
}

/** Reads one spooled text's bytes (the spool is not read whole: a listing's texts never sit
 * together). */
function readSpooled(file: Spool | undefined, start: number, bytes: number): Buffer {
  const text = Buffer.allocUnsafe(bytes);
  if (file && bytes > 0) readSync(file.fd, text, 0, bytes, start);
  return text;
}

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
      : {
          detail: error instanceof Error ? error.message : String(error),
          ...(isFsError(error)
            ? { fs: { code: error.code, syscall: error.syscall, path: error.path } }
            : {}),
        };
  send({ type: 'failed', folder, failure });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'page') {
    const { page, folder } = message;
    if (failed.has(folder)) return;
    try {
      pages.set(page, { folder, members: spoolPage(message) });
    } catch (error) {
      fail(folder, error);
    }
  } else if (message.type === 'folder') {
    const { folder } = message;
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
    staged.settled().then(
      () =>
        send({
          type: 'done',
          files: staged.files,
          bytes: staged.bytes,
          reused: staged.reused,
          repaired: staged.repaired,
          written: staged.written,
        }),
      (error: unknown) => {
        fail('', error);
        send({ type: 'done', files: 0, bytes: 0, reused: [], repaired: [], written: true });
      },
    );
  }
});
