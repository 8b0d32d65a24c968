/**
 * The sync's spool: each listing page's entities are written to one file, as their JSON text,
 * the moment the page arrives (and so are the listings a warm sync reads from the snapshot, and
 * those the media stage rewrites), and a listing keeps only where its texts are (`SpooledList`).
 * The account is never held in memory whole (100k entities parse to some 300 MB of heap): each
 * stage after the crawl reads the entities again, one at a time, and the write stores their
 * texts as they are.
 *
 * The file sits beside the snapshot folder (the disk the snapshot goes to, not a /tmp that may
 * live in memory), named after the process. It is unlinked as soon as it is open where the
 * system allows it (nothing is left even if the process is killed), else when the spool
 * closes, and a later sync sweeps one a killed process left.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import type { EntityList, JsonObject } from '../model/content.ts';
import { sweepTempFiles, tempFile } from '../temp-files.ts';
import { writeFailure } from './write.ts';

const SUFFIX = '.spool';

/** Where one entity's text is in the spool file. */
export interface SpoolRef {
  offset: number;
  bytes: number;
}

/** Entities written at once when a listing is written whole. */
export const WRITE_BATCH = 256;

/** Bytes read at once, at most, when a pass reads texts that follow one another in the file. */
const READ_AHEAD = 1024 * 1024;

/** Where the run of texts from `refs[index]` on ends: each next one right after the last. */
function runEnd(refs: readonly SpoolRef[], index: number): number {
  const first = refs[index]!;
  let end = first.offset + first.bytes;
  for (let next = refs[index + 1]; next?.offset === end; next = refs[++index + 1]) {
    if (end + next.bytes - first.offset > READ_AHEAD) break;
    end += next.bytes;
  }
  return end;
}

export class Spool {
  readonly #fd: number;
  readonly #path: string;
  /** The snapshot folder the spool serves (named when writing to it fails). */
  readonly #out: string;
  #unlinked = false;
  #size = 0;
  #closed = false;
  #scratch: Buffer = Buffer.alloc(0);

  private constructor(path: string, out: string) {
    this.#path = path;
    this.#out = out;
    this.#fd = openSync(path, 'wx+');
    try {
      unlinkSync(path);
      this.#unlinked = true;
    } catch {
      // A system that cannot remove an open file: removed on close, or swept by the next sync.
    }
  }

  /**
   * A spool beside the snapshot folder `out`, once the files killed syncs left are swept; in
   * the system's temporary folder when that folder cannot be written (a sync that changes
   * nothing writes nothing beside the snapshot, so it must not fail for want of it).
   */
  static async open(out: string): Promise<Spool> {
    const base = basename(out);
    try {
      const dir = dirname(out);
      mkdirSync(dir, { recursive: true });
      await sweepTempFiles(dir, base, SUFFIX);
      return new Spool(tempFile(dir, base, SUFFIX), out);
    } catch {
      try {
        return new Spool(tempFile(tmpdir(), base, SUFFIX), out);
      } catch (error) {
        throw writeFailure(out, error);
      }
    }
  }

  /** Writes the texts of `entities` (one page of a listing); returns where each one is. */
  put(entities: readonly JsonObject[]): SpoolRef[] {
    return this.putTexts(entities.map((entity) => JSON.stringify(entity)));
  }

  /** Writes entity texts (`JSON.stringify`'s, as a snapshot stores them); where each one is. */
  putTexts(entityTexts: readonly string[]): SpoolRef[] {
    const texts = entityTexts.map((text) => Buffer.from(text));
    const page = Buffer.concat(texts);
    let offset = this.#size;
    try {
      for (let written = 0; written < page.length; ) {
        written += writeSync(this.#fd, page, written, page.length - written, this.#size + written);
      }
    } catch (error) {
      // A full disk, most likely: said as a failed write of the snapshot, which it is.
      throw writeFailure(this.#out, error);
    }
    this.#size += page.length;
    return texts.map((text) => {
      const ref = { offset, bytes: text.length };
      offset += text.length;
      return ref;
    });
  }

  /** The listing made of these entities, in this order (`ids`: theirs, when known). */
  list(refs: readonly SpoolRef[], ids?: readonly (string | number)[]): SpooledList {
    return new SpooledList(this, refs, ids);
  }

  /** A listing of `entities` (written now), for content a stage makes anew. */
  listOf(entities: Iterable<JsonObject>): SpooledList {
    const refs: SpoolRef[] = [];
    let page: JsonObject[] = [];
    for (const entity of entities) {
      page.push(entity);
      if (page.length === WRITE_BATCH) {
        refs.push(...this.put(page));
        page = [];
      }
    }
    refs.push(...this.put(page));
    return this.list(refs);
  }

  /**
   * A listing of entities of `base` (by index) and new entities, in the order of `parts`: those
   * `base` holds here already are not written again.
   */
  compose(base: EntityList, parts: readonly (number | JsonObject)[]): SpooledList {
    const refs = parts.map((part) => {
      if (typeof part === 'number' && base instanceof SpooledList) return base.ref(part);
      const entity = typeof part === 'number' ? base.at(part) : part;
      if (entity === undefined) throw new RangeError(`no entity ${String(part)} in the listing`);
      return this.put([entity])[0]!;
    });
    return this.list(refs);
  }

  /** The text of `bytes` bytes at `offset`. */
  read(offset: number, bytes: number): string {
    this.#scratch = this.#fill(this.#scratch, offset, bytes);
    return this.#scratch.toString('utf8', 0, bytes);
  }

  /** `size` bytes at `offset` read into `buffer` (a larger one when it is too small). */
  #fill(buffer: Buffer, offset: number, size: number): Buffer {
    const into = buffer.length >= size ? buffer : Buffer.allocUnsafe(size);
    for (let read = 0; read < size; ) {
      const n = readSync(this.#fd, into, read, size - read, offset + read);
      if (n === 0) throw new Error(`the sync's spool file ends at byte ${offset + read}`);
      read += n;
    }
    return into;
  }

  /**
   * The texts at `refs`, in order, each decoded as its turn comes: a run of texts that follow
   * one another in the file (a page's, a chunk's) is read at once.
   */
  *texts(refs: readonly SpoolRef[]): Generator<string> {
    let block: Buffer = Buffer.alloc(0);
    let start = 0;
    let end = 0;
    for (const [index, { offset, bytes }] of refs.entries()) {
      if (offset < start || offset + bytes > end) {
        end = runEnd(refs, index);
        start = offset;
        block = this.#fill(block, start, end - start);
      }
      yield block.toString('utf8', offset - start, offset - start + bytes);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
    if (!this.#unlinked) rmSync(this.#path, { force: true });
  }
}

/** A listing whose entities are in the spool: parsed anew each time one is read. */
export class SpooledList implements EntityList {
  readonly #spool: Spool;
  readonly #refs: readonly SpoolRef[];
  readonly ids: readonly (string | number)[] | undefined;

  constructor(spool: Spool, refs: readonly SpoolRef[], ids?: readonly (string | number)[]) {
    this.#spool = spool;
    this.#refs = refs;
    this.ids = ids;
  }

  get length(): number {
    return this.#refs.length;
  }

  at(index: number): JsonObject | undefined {
    const i = index < 0 ? index + this.#refs.length : index;
    const ref = this.#refs[i];
    return ref && (JSON.parse(this.#spool.read(ref.offset, ref.bytes)) as JsonObject);
  }

  /** Each entity's JSON text, in order: what the snapshot stores for it. */
  texts(): Iterable<string> {
    return this.#spool.texts(this.#refs);
  }

  /** The JSON text of entity `index`. */
  text(index: number): string {
    const ref = this.ref(index);
    return this.#spool.read(ref.offset, ref.bytes);
  }

  /** Where entity `index` is in the spool. */
  ref(index: number): SpoolRef {
    const ref = this.#refs[index];
    if (ref === undefined)
      throw new RangeError(`no entity ${index} in a listing of ${this.length}`);
    return ref;
  }

  map(change: (entity: JsonObject) => JsonObject): SpooledList {
    const spool = this.#spool;
    function* changed(list: SpooledList) {
      for (const entity of list) yield change(entity);
    }
    return spool.listOf(changed(this));
  }

  *[Symbol.iterator](): Generator<JsonObject> {
    for (const text of this.texts()) yield JSON.parse(text) as JsonObject;
  }
}
